import os
import unittest

from roam_events import ConfigurationError, StorageLocations


class LocalPaths(unittest.TestCase):

    def test_become_file_uris_of_the_absolute_normalized_path(self):
        locations = StorageLocations()
        self.assertEqual(locations.directory_uri("/data/run-42//checkpoint-1000/./"),
                         "file:///data/run-42/checkpoint-1000/")
        self.assertEqual(locations.file_uri("/data/run-42/../run-43/epoch=1-step=500.ckpt"),
                         "file:///data/run-43/epoch=1-step=500.ckpt")

    def test_relative_paths_are_resolved_against_the_working_directory(self):
        self.assertEqual(StorageLocations().directory_uri("outputs/checkpoint-10"),
                         "file://" + os.path.join(os.getcwd(), "outputs", "checkpoint-10") + "/")

    def test_characters_are_kept_as_written(self):
        self.assertEqual(StorageLocations().directory_uri("/data/my run/ckpt 1"), "file:///data/my run/ckpt 1/")


class MountedPaths(unittest.TestCase):

    def test_map_to_the_storage_uri_of_their_mount(self):
        locations = StorageLocations({"/mnt/ckpt": "s3://ckpt/"})
        self.assertEqual(locations.directory_uri("/mnt/ckpt/run-42/checkpoint-1000"),
                         "s3://ckpt/run-42/checkpoint-1000/")
        self.assertEqual(locations.file_uri("/mnt/ckpt/run-42/last-good.ckpt"), "s3://ckpt/run-42/last-good.ckpt")
        self.assertEqual(locations.directory_uri("/mnt/ckpt"), "s3://ckpt/")

    def test_prefixes_and_uris_may_be_written_with_or_without_a_trailing_slash(self):
        locations = StorageLocations({"/mnt/ckpt/": "gs://lab-checkpoints/llm"})
        self.assertEqual(locations.directory_uri("/mnt/ckpt/run-42"), "gs://lab-checkpoints/llm/run-42/")

    def test_match_whole_segments_only(self):
        locations = StorageLocations({"/mnt/ckpt": "s3://ckpt/"})
        self.assertEqual(locations.directory_uri("/mnt/ckpt-old/run-42"), "file:///mnt/ckpt-old/run-42/")

    def test_the_longest_matching_prefix_wins(self):
        locations = StorageLocations({"/mnt": "file:///mnt/", "/mnt/ckpt": "abfs://ckpt-east/",
                                      "/mnt/ckpt/shared": "s3://shared/"})
        self.assertEqual(locations.directory_uri("/mnt/ckpt/run-1"), "abfs://ckpt-east/run-1/")
        self.assertEqual(locations.directory_uri("/mnt/ckpt/shared/run-2"), "s3://shared/run-2/")
        self.assertEqual(locations.directory_uri("/mnt/data/set"), "file:///mnt/data/set/")

    def test_a_prefix_of_the_root_maps_every_path(self):
        self.assertEqual(StorageLocations({"/": "file:///host/"}).directory_uri("/data/x"), "file:///host/data/x/")

    def test_a_storage_uri_that_is_not_a_uri_is_refused(self):
        for uri in ("/mnt/ckpt", "ckpt-bucket", "", None):
            with self.subTest(uri=uri), self.assertRaises(ConfigurationError):
                StorageLocations({"/mnt/ckpt": uri})


class UriPaths(unittest.TestCase):

    def test_are_kept_as_they_are(self):
        self.assertEqual(StorageLocations().file_uri("s3://bucket/ckpts/epoch=0-step=10.ckpt"),
                         "s3://bucket/ckpts/epoch=0-step=10.ckpt")
        self.assertEqual(StorageLocations().directory_uri("gs://bucket/ckpts/sharded"), "gs://bucket/ckpts/sharded/")

    def test_are_mapped_when_a_uri_prefix_matches(self):
        locations = StorageLocations({"s3://internal-alias/ckpts": "s3://ckpt/"})
        self.assertEqual(locations.file_uri("s3://internal-alias/ckpts/a.ckpt"), "s3://ckpt/a.ckpt")


class CallbackOption(unittest.TestCase):

    def test_none_means_file_uris(self):
        self.assertEqual(StorageLocations.for_option(None, "/out").directory_uri("/out/checkpoint-1"),
                         "file:///out/checkpoint-1/")

    def test_a_uri_names_where_the_written_directory_is_stored(self):
        locations = StorageLocations.for_option("s3://ckpt/run-42", "/mnt/ckpt/run-42/")
        self.assertEqual(locations.directory_uri("/mnt/ckpt/run-42/checkpoint-1000"),
                         "s3://ckpt/run-42/checkpoint-1000/")

    def test_a_mapping_is_a_set_of_prefixes(self):
        locations = StorageLocations.for_option({"/mnt/ckpt": "s3://ckpt/"}, "/mnt/ckpt/run-42")
        self.assertEqual(locations.directory_uri("/mnt/ckpt/run-42/checkpoint-1"), "s3://ckpt/run-42/checkpoint-1/")

    def test_anything_else_is_refused(self):
        with self.assertRaisesRegex(ConfigurationError, "storage_uri"):
            StorageLocations.for_option(["s3://ckpt/"], "/out")


if __name__ == "__main__":
    unittest.main()
