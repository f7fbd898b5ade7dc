"""Look at the whole file before importing anything: its format, its encoding (every byte
is checked, so a bad byte near the end refuses the file rather than half-importing it),
the CSV delimiter and header. A file that fails here is refused with a message that names
the problem and how to fix it; nothing is imported."""

import codecs
import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from rebox.orders.importer.csv_source import header_problems, normalise_header
from rebox.orders.importer.records import ImportFileRefused

FORMATS = ("csv", "jsonl")
EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}
BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
BLOCK = 1 << 20
SAMPLE_ROWS = 50
NOTHING = "Nothing was imported."


@dataclass(frozen=True)
class SourceFile:
    path: Path
    format: str
    encoding: str
    delimiter: str
    columns: list[str]  # the CSV header, normalised; empty for JSON Lines
    lines: int  # physical lines, for the progress bar
    size: int
    sha256: str


def inspect_file(path: Path, *, file_format: str | None = None, encoding: str | None = None,
                 delimiter: str | None = None) -> SourceFile:
    """The file's shape, or ImportFileRefused saying what is wrong with it."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileRefused(f"{path} does not exist or is not a file.")
    size = path.stat().st_size
    if size == 0:
        raise ImportFileRefused(f"{path.name} is empty. {NOTHING}")
    file_format = file_format or _format_from_name(path)
    if encoding:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFileRefused(f"Unknown encoding {encoding!r}.") from None
    encoding, lines, sha256 = _scan(path, encoding)
    columns: list[str] = []
    if file_format == "csv":
        if delimiter is None and path.suffix.lower() == ".tsv":
            delimiter = "\t"
        delimiter, columns = _check_csv(path, encoding, delimiter or ",")
    else:
        _check_jsonl(path, encoding)
    return SourceFile(path=path, format=file_format, encoding=encoding, delimiter=delimiter or "",
                      columns=columns, lines=lines, size=size, sha256=sha256)


def _format_from_name(path: Path) -> str:
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise ImportFileRefused(f"Cannot tell the format of {path.name} from its extension "
                                f"{path.suffix!r}: pass --format csv or --format jsonl.")
    return found


def _scan(path: Path, encoding: str | None) -> tuple[str, int, str]:
    """Decode every byte; count lines and hash the file on the way."""
    digest, lines, offset, last = hashlib.sha256(), 0, 0, b""
    with path.open("rb") as stream:
        block = stream.read(BLOCK)
        if encoding is None:
            for bom, name in BOMS:
                if block.startswith(bom):
                    raise ImportFileRefused(
                        f"{path.name} is {name} text (it starts with a {name} byte-order mark), "
                        f"not UTF-8. Save it as UTF-8 (in Excel: “CSV UTF-8”), or pass "
                        f"--encoding {name.lower()}. {NOTHING}")
            encoding = "utf-8-sig" if block.startswith(codecs.BOM_UTF8) else "utf-8"
        wide = encoding.replace("_", "-").startswith(("utf-16", "utf-32"))
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        while block:
            digest.update(block)
            if not wide and b"\x00" in block:
                line = lines + block.count(b"\n", 0, block.index(b"\x00")) + 1
                raise ImportFileRefused(
                    f"{path.name} contains NUL bytes (line {line}): "
                    f"it is probably UTF-16 without a byte-order mark, or not a text file. Save it "
                    f"as UTF-8, or pass --encoding utf-16. {NOTHING}")
            pending = decoder.getstate()[0]
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                data = pending + block
                raise _undecodable(path, encoding, data, exc.start,
                                   lines + data.count(b"\n", 0, exc.start) + 1) from None
            lines += block.count(b"\n")
            offset += len(block)
            last, block = block[-1:], stream.read(BLOCK)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise ImportFileRefused(f"{path.name} ends in the middle of a character: it is not "
                                    f"complete {encoding}. {NOTHING}") from None
    return encoding, lines + (last != b"\n"), digest.hexdigest()


def _undecodable(path: Path, encoding: str, data: bytes, at: int, line: int) -> ImportFileRefused:
    start = data.rfind(b"\n", 0, at) + 1
    end = data.find(b"\n", at)
    excerpt = data[max(start, at - 40):(end if end != -1 else len(data))][:80]
    shown = excerpt.decode("cp1252", errors="replace").strip()
    hint = ""
    if encoding.startswith("utf-8"):
        hint = (" It looks like Latin-1 / Windows-1252 (what spreadsheets on Windows often save). "
                "Save it as UTF-8 (in Excel: “CSV UTF-8”), or pass --encoding cp1252 if that is "
                "what it is.")
    return ImportFileRefused(
        f"{path.name} is not valid {encoding}: line {line} has the byte 0x{data[at]:02X}, which "
        f"{encoding} does not allow there (near “{shown}”).{hint} {NOTHING}")


def _check_csv(path: Path, encoding: str, delimiter: str) -> tuple[str, list[str]]:
    with path.open(encoding=encoding, newline="") as stream:
        first = stream.readline()
        if first.lstrip().startswith("{"):
            raise ImportFileRefused(f"{path.name} looks like JSON Lines, not CSV: pass --format "
                                    f"jsonl or name it .jsonl. {NOTHING}")
        columns = normalise_header(next(csv.reader([first], delimiter=delimiter)))
        problems = header_problems(columns)
        if problems:
            for other in DELIMITERS:
                if other != delimiter and not header_problems(
                        normalise_header(next(csv.reader([first], delimiter=other)))):
                    raise _wrong_delimiter(path, found=other, expected=delimiter)
            raise ImportFileRefused(f"{path.name}: the header row is not one Rebox can import: "
                                    f"{'; '.join(problems)}. {NOTHING}")
        records = csv.reader(stream, delimiter=delimiter)
        try:
            sample = [r for _, r in zip(range(SAMPLE_ROWS), records, strict=False) if any(r)]
        except csv.Error as exc:
            raise ImportFileRefused(f"{path.name} cannot be read as CSV at line "
                                    f"{records.line_num + 1} ({exc}). {NOTHING}") from None
    wrong = [r for r in sample if len(r) != len(columns)]
    if sample and len(wrong) * 2 > len(sample):
        for other in DELIMITERS:
            if other != delimiter and sum(
                    len(next(csv.reader([delimiter.join(r)], delimiter=other))) == len(columns)
                    for r in wrong) * 2 > len(wrong):
                raise _wrong_delimiter(path, found=other, expected=delimiter, rows_only=True)
        raise ImportFileRefused(
            f"{path.name}: {len(wrong)} of the first {len(sample)} rows do not have the "
            f"{len(columns)} fields of the header (one has {len(wrong[0])}). {NOTHING}")
    return delimiter, columns


def _wrong_delimiter(path: Path, *, found: str, expected: str,
                     rows_only: bool = False) -> ImportFileRefused:
    where = "its rows" if rows_only else "its columns"
    return ImportFileRefused(
        f"{path.name} separates {where} with {DELIMITERS[found]} ({found!r}), not "
        f"{DELIMITERS.get(expected, repr(expected))}: re-save it comma-separated, or pass "
        f"--delimiter {found!r}. {NOTHING}")


def _check_jsonl(path: Path, encoding: str) -> None:
    with path.open(encoding=encoding) as stream:
        found = next(((n, line) for n, line in enumerate(stream, start=1) if line.strip()), None)
    if found is None:
        raise ImportFileRefused(f"{path.name} has no orders. {NOTHING}")
    number, line = found
    try:
        first = json.loads(line)
    except ValueError:
        first = None
    if not isinstance(first, dict):
        csv_hint = " It looks like CSV: pass --format csv." if "order_number" in line else ""
        raise ImportFileRefused(f"{path.name} is not JSON Lines: line {number} is not a JSON "
                                f"object (one order per line).{csv_hint} {NOTHING}")
