"""Zips a folder laid out as a NuGet package into a .nupkg, adding the Open Packaging parts
that nuget.exe writes: [Content_Types].xml, _rels/.rels and the core-properties part, filled
from the folder's .nuspec.

    python3 zip_nupkg.py CONTENT_FOLDER OUT.nupkg
"""

import hashlib
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

NUSPEC_NS = {"n": "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same input gives the same package


def metadata(nuspec: Path) -> dict:
    """id, version, description, authors and tags of a nuspec."""
    root = ET.parse(nuspec).getroot()
    fields = {}
    for name in ("id", "version", "description", "authors", "tags"):
        element = root.find(f"n:metadata/n:{name}", NUSPEC_NS)
        fields[name] = element.text if element is not None and element.text else ""
    return fields


def content_types(extensions: set) -> str:
    defaults = {
        "rels": "application/vnd.openxmlformats-package.relationships+xml",
        "psmdcp": "application/vnd.openxmlformats-package.core-properties+xml",
    }
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">']
    for extension in sorted(extensions | set(defaults)):
        kind = defaults.get(extension, "application/octet")
        lines.append(f"  <Default Extension={quoteattr(extension)} ContentType={quoteattr(kind)} />")
    lines.append("</Types>")
    return "\n".join(lines) + "\n"


def relationships(nuspec_name: str, properties_part: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\n'
        f'  <Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/{nuspec_name}" Id="Rmanifest" />\n'
        '  <Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        f'Target="/{properties_part}" Id="Rcoreproperties" />\n'
        "</Relationships>\n"
    )


def core_properties(fields: dict) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">\n'
        f"  <dc:creator>{escape(fields['authors'])}</dc:creator>\n"
        f"  <dc:description>{escape(fields['description'])}</dc:description>\n"
        f"  <dc:identifier>{escape(fields['id'])}</dc:identifier>\n"
        f"  <version>{escape(fields['version'])}</version>\n"
        f"  <keywords>{escape(fields['tags'])}</keywords>\n"
        "  <lastModifiedBy>libremoteit packaging/nuget/zip_nupkg.py</lastModifiedBy>\n"
        "</coreProperties>\n"
    )


def main(content: Path, out: Path) -> None:
    files = sorted(p for p in content.rglob("*") if p.is_file())
    nuspecs = [p for p in files if p.parent == content and p.suffix == ".nuspec"]
    if len(nuspecs) != 1:
        sys.exit(f"zip_nupkg: expected one .nuspec at the root of {content}, found {len(nuspecs)}")
    fields = metadata(nuspecs[0])
    digest = hashlib.sha256(f"{fields['id']} {fields['version']}".encode()).hexdigest()[:32]
    properties_part = f"package/services/metadata/core-properties/{digest}.psmdcp"
    extensions = {p.suffix[1:] for p in files if p.suffix}

    def write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(name, FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        archive.writestr(info, data)

    with zipfile.ZipFile(out, "w") as archive:
        write(archive, "_rels/.rels", relationships(nuspecs[0].name, properties_part).encode())
        write(archive, nuspecs[0].name, nuspecs[0].read_bytes())
        for path in files:
            if path != nuspecs[0]:
                write(archive, path.relative_to(content).as_posix(), path.read_bytes())
        write(archive, properties_part, core_properties(fields).encode())
        write(archive, "[Content_Types].xml", content_types(extensions).encode())


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
