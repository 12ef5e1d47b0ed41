package io.roam.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryStringRedactionTest {

    @Test
    void keepsTheParametersOfTheApi() {
        assertThat(QueryStringRedaction.redactQuery("project=llm&kind=checkpoint&name=llama&label=step%3D10&cursor=abc&limit=5"))
                .isEqualTo("project=llm&kind=checkpoint&name=llama&label=step%3D10&cursor=abc&limit=5");
    }

    @Test
    void replacesTheValueOfEveryOtherParameter() {
        assertThat(QueryStringRedaction.redactQuery("project=llm&access_token=eyJhbGciOi.x.y&password=hunter2"))
                .isEqualTo("project=llm&access_token=REDACTED&password=REDACTED");
    }

    @Test
    void replacesABareValueWhole() {
        assertThat(QueryStringRedaction.redactQuery("roam_abcdef&near=azure")).isEqualTo("REDACTED&near=azure");
    }

    @Test
    void keepsEmptyParametersAndAnEncodedApiNameCountsAsForeign() {
        assertThat(QueryStringRedaction.redactQuery("&project=llm&&%70roject=secret")).isEqualTo("&project=llm&&%70roject=REDACTED");
    }

    @Test
    void redactsTheQueryOfAWholeUrlAndKeepsItsFragment() {
        assertThat(QueryStringRedaction.redactUrl("http://gateway:8080/v1/artifacts?project=llm&token=roam_x#top"))
                .isEqualTo("http://gateway:8080/v1/artifacts?project=llm&token=REDACTED#top");
        assertThat(QueryStringRedaction.redactUrl("http://gateway:8080/v1/artifacts")).isEqualTo("http://gateway:8080/v1/artifacts");
    }
}
