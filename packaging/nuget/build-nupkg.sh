#!/usr/bin/env bash
# Builds dist/RemoteIt.<version>.nupkg without the .NET SDK: compiles the binding with Mono's
# mcs (as bindings/csharp/run-tests.sh does, plus the assembly version and XML docs) and zips
# it, as NuGet lays a package out, with the native library:
#   RemoteIt.nuspec, README.md, lib/net472/RemoteIt.dll (+ .xml),
#   runtimes/linux-x64/native/libremoteit.so, [Content_Types].xml, _rels/.rels,
#   package/services/metadata/core-properties/<id>.psmdcp
#   packaging/nuget/build-nupkg.sh      (make nupkg; expects a release build of the library)
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
framework=net472    # mcs compiles against Mono's 4.x profile: the .NET Framework 4.7.2 API
[ -f target/release/libremoteit.so ] || { echo "build-nupkg: no target/release/libremoteit.so (make lib)" >&2; exit 1; }

stage=build/nupkg
rm -rf "$stage"
mkdir -p "$stage/content/lib/$framework" "$stage/content/runtimes/linux-x64/native" dist
cat >"$stage/AssemblyInfo.cs" <<CS
using System.Reflection;
using System.Runtime.Versioning;

[assembly: AssemblyTitle("RemoteIt")]
[assembly: AssemblyVersion("$version.0")]
[assembly: AssemblyFileVersion("$version.0")]
[assembly: AssemblyInformationalVersion("$version")]
[assembly: TargetFramework(".NETFramework,Version=v4.7.2", FrameworkDisplayName = ".NET Framework 4.7.2")]
CS
mcs -langversion:6 -warn:4 -warnaserror+ -target:library -r:System.dll -r:System.Core.dll \
    -doc:"$stage/content/lib/$framework/RemoteIt.xml" -out:"$stage/content/lib/$framework/RemoteIt.dll" \
    bindings/csharp/src/*.cs "$stage/AssemblyInfo.cs"
cp target/release/libremoteit.so "$stage/content/runtimes/linux-x64/native/"
cp bindings/csharp/README.md "$stage/content/README.md"
sed -e "s|@VERSION@|$version|g" packaging/nuget/RemoteIt.nuspec.in >"$stage/content/RemoteIt.nuspec"

python3 packaging/nuget/zip_nupkg.py "$stage/content" "dist/RemoteIt.$version.nupkg"
echo "dist/RemoteIt.$version.nupkg"
