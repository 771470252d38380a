"""Problems found in import files, each with where a person finds it: file, row, column."""

from __future__ import annotations

from dataclasses import dataclass, field

# Enough to fix a file in one go; past this, the count of the rest is what matters.
MAX_REPORTED = 1000


@dataclass(frozen=True, slots=True)
class Problem:
    file: str  # the file name; for a workbook "master.xlsx[employee]"
    row: int | None  # as a spreadsheet shows it: the header is row 1
    column: str | None  # the header as written in the file
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
            if self.column:
                where += f":{self.column}"
        elif self.column:
            where += f"::{self.column}"
        return f"{where}: {self.message}"


@dataclass
class ProblemLog:
    limit: int = MAX_REPORTED
    total: int = 0
    kept: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # not errors: e.g. a sheet that was skipped
    _file_order: dict[str, int] = field(default_factory=dict)

    def register(self, file: str) -> None:
        self._file_order.setdefault(file, len(self._file_order))

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.register(file)
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(Problem(file, row, column, message))

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def omitted(self) -> int:
        return self.total - len(self.kept)

    def sorted(self) -> list[Problem]:
        order = self._file_order
        return sorted(self.kept, key=lambda p: (order.get(p.file, 0), p.row or 0))

    def lines(self) -> list[str]:
        lines = [str(problem) for problem in self.sorted()]
        if self.omitted:
            lines.append(f"... and {self.omitted} more problems not shown")
        return lines
