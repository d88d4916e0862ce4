#!/usr/bin/env bash
# The NuGet package (make nupkg) as a user gets it: its layout and nuspec metadata (id, version
# equal to Cargo.toml's, license, the framework and native folders, the packaging parts), then
# the C# example compiled against the assembly taken out of the package and run with the
# native library taken out of it, against the API double.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
package=dist/RemoteIt.$version.nupkg

mkdir -p build
make --no-print-directory nupkg >build/nupkg-build.log 2>&1 || { cat build/nupkg-build.log; exit 1; }

python3 - "$package" "$version" <<'PY'
import sys, zipfile
import xml.etree.ElementTree as ET

package, version = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(package) as archive:
    names = set(archive.namelist())
    expected = {
        "RemoteIt.nuspec", "README.md", "[Content_Types].xml", "_rels/.rels",
        "lib/net472/RemoteIt.dll", "lib/net472/RemoteIt.xml",
        "runtimes/linux-x64/native/libremoteit.so",
    }
    properties = [n for n in names if n.startswith("package/services/metadata/core-properties/") and n.endswith(".psmdcp")]
    problems = [f"missing {n}" for n in sorted(expected - names)]
    if len(properties) != 1:
        problems.append(f"expected one core-properties part, found {properties}")
    unexpected = names - expected - set(properties)
    if unexpected:
        problems.append(f"unexpected entries {sorted(unexpected)}")
    ns = {"n": "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"}
    meta = ET.fromstring(archive.read("RemoteIt.nuspec")).find("n:metadata", ns)
    def field(name):
        element = meta.find(f"n:{name}", ns)
        return None if element is None else element.text
    for name, want in (("id", "RemoteIt"), ("version", version), ("license", "MIT"), ("readme", "README.md")):
        if field(name) != want:
            problems.append(f"nuspec {name} is {field(name)!r}, expected {want!r}")
    license_type = meta.find("n:license", ns).get("type") if meta.find("n:license", ns) is not None else None
    if license_type != "expression":
        problems.append(f"nuspec license type is {license_type!r}, expected 'expression'")
    groups = [g.get("targetFramework") for g in meta.findall("n:dependencies/n:group", ns)]
    if groups != [".NETFramework4.7.2"]:
        problems.append(f"dependency groups {groups}, expected the lib/net472 framework only")
    types = ET.fromstring(archive.read("[Content_Types].xml"))
    declared = {d.get("Extension") for d in types}
    extensions = {n.rsplit(".", 1)[1] for n in names if "." in n.rsplit("/", 1)[-1] and n != "[Content_Types].xml"}
    if extensions - declared:
        problems.append(f"[Content_Types].xml lacks {sorted(extensions - declared)}")
    rels = ET.fromstring(archive.read("_rels/.rels"))
    targets = {r.get("Target").lstrip("/") for r in rels}
    if targets != {"RemoteIt.nuspec", *properties}:
        problems.append(f"_rels/.rels targets {sorted(targets)}")
    if archive.read("runtimes/linux-x64/native/libremoteit.so")[:4] != b"\x7fELF":
        problems.append("the native library is not an ELF file")
if problems:
    sys.exit("nupkg: " + "; ".join(problems))
print(f"nupkg layout and metadata: RemoteIt {version}, lib/net472, runtimes/linux-x64/native")
PY

source tests/start_double.sh
start_api_double examples/demo/credentials
unzip -q "$package" -d "$scratch/package"
mkdir -p "$scratch/app"
cp "$scratch/package/lib/net472/RemoteIt.dll" "$scratch/app/"
mcs -langversion:6 -warn:4 -warnaserror+ -target:exe -out:"$scratch/app/remoteit-example.exe" \
    -r:"$scratch/app/RemoteIt.dll" examples/csharp/RemoteItExample.cs
cd "$scratch/app"
out=$(env -u LD_LIBRARY_PATH REMOTEIT_LIBRARY="$scratch/package/runtimes/linux-x64/native/libremoteit.so" \
  mono remoteit-example.exe --api-url "$api_url" "$repo/examples/demo/credentials")
grep -q "libremoteit $version" <<<"$out" && grep -qi "disconnected" <<<"$out" ||
  { echo "unexpected example output:"; echo "$out"; exit 1; }
echo "C# example on the package's assembly and native library: ok"

cat >"$scratch/AssemblyVersion.cs" <<'CS'
internal static class AssemblyVersion
{
    private static void Main()
    {
        System.Console.WriteLine(typeof(RemoteIt.Library).Assembly.GetName().Version);
    }
}
CS
mcs -target:exe -out:"$scratch/app/assembly-version.exe" -r:"$scratch/app/RemoteIt.dll" "$scratch/AssemblyVersion.cs"
assembly_version=$(mono "$scratch/app/assembly-version.exe")
[ "$assembly_version" = "$version.0" ] || { echo "RemoteIt.dll is version $assembly_version, expected $version.0"; exit 1; }
echo "RemoteIt.dll assembly version: $assembly_version"
