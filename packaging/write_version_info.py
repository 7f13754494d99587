"""Write packaging/windows-version.txt (the Windows file properties) from b24desk.__version__."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from b24desk import __version__  # noqa: E402

TEMPLATE = """VSVersionInfo(
  ffi=FixedFileInfo(filevers={tuple}, prodvers={tuple}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', 'b24desk'),
      StringStruct('FileDescription', 'b24desk: reopen completed Bitrix24 tasks in bulk'),
      StringStruct('FileVersion', '{version}'),
      StringStruct('InternalName', 'b24desk'),
      StringStruct('OriginalFilename', 'b24desk.exe'),
      StringStruct('ProductName', 'b24desk'),
      StringStruct('ProductVersion', '{version}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def version_tuple(version: str) -> tuple[int, int, int, int]:
    numbers = [int(part) for part in version.split(".")[:4] if part.isdigit()]
    padded = [*numbers, 0, 0, 0, 0][:4]
    return (padded[0], padded[1], padded[2], padded[3])


def main() -> None:
    text = TEMPLATE.format(tuple=version_tuple(__version__), version=__version__)
    (ROOT / "packaging" / "windows-version.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
