"""The action-plan workbook: a scenario as an .xlsx that coordinators fill in, and back.

``write_workbook(scenario) -> bytes`` writes one sheet per entity (Swedish sheet names and
headers, drop-down lists for ids and fixed values, dates and times as real spreadsheet
dates and times); ``template_workbook()`` is that for the built-in example.
``read_workbook(source) -> dict`` reads a workbook back into a normalized
``modulplan/scenario-1`` document through the same schemas as JSON (``schemas.load_scenario``)
and raises :class:`~scheduler.format.ScenarioInvalid` with **every** problem at once. Each
error's ``path`` names the place in the workbook: ``sheet 'Deltagare', row 7, column 'Lag'``.
``read_workbook_with_warnings(source) -> (dict, [FieldError])`` also returns the warnings
(columns and fields the workbook does not know, which are ignored), placed the same way.

How the sheets map to the format (docs: README "Spreadsheets and reports"):

* ``Scenario`` and ``Kalender`` are two-column sheets (Fält, Värde): id, name, time zone,
  planning period, default travel time, the objective weights; holidays, weekdays, start
  times, daily rest.
* Every other sheet is a table: row 1 holds the headers, each further row one entry.
  Teams name their workplace (``Lag``), a team's blocked periods (``Spärrade perioder``:
  its ``blocked`` list, when it releases nobody for training) their team by workplace and id,
  participants their action plan (``Deltagare``), weekly availability windows
  (``Tillgänglighet``) and unavailable periods (``Ej tillgänglig``) their trainer,
  interpreter or room.
* A list in one cell (shift cycle, a track's modules, qualifications, languages, room
  features, weekdays, start times) is written with commas: ``F, F, E, E, -, -``.
* Yes/no cells are ``ja``/``nej``; a module's place is ``arbetsplats``, ``valfri`` or
  ``distans``; weekdays ``mån`` .. ``sön``; kinds ``utbildare``, ``tolk``, ``lokal``.
  English (``yes``, ``any``, ``mon``, ``trainer``, spec field names as headers, English
  sheet names) is accepted everywhere on import.
* A trainer or interpreter without rows in ``Tillgänglighet`` is always available; one row
  with the weekday ``aldrig`` (never) and no times means never available.

Choices where the format leaves room: an empty cell leaves the field out (its default
applies); numbers written as text ("8", "1,5") are read as numbers; ids typed as numbers
become text ("101"); text cells are trimmed; a text date must be written ``YYYY-MM-DD``
(other spellings such as ``2/3 2026`` are reported, with the ISO date they would
probably mean, because ``2/3`` is 2 March in Sweden and 3 February elsewhere); times may
be ``8:00`` or ``08.00``.  Merged cells, repeated headers, values under an empty header,
missing sheets that every scenario needs and such sheets without rows are errors; columns
whose header starts with ``#`` are comments and ignored.  An unknown column header (or an
unknown field in ``Scenario``/``Kalender``) is a **warning** and the column is ignored, unless
it is a likely misspelling of one of that sheet's headers (``schemas.likely_meant``, as for
JSON fields): that is an error with "did you mean 'Minimibemanning'?".  Extension fields
(``x-…``) of the JSON are not carried by the workbook.

The package, in the order a workbook is made and read: ``layout`` (sheets, columns, the
Swedish words), ``example`` (the template's scenario), ``writing`` (scenario -> .xlsx),
``cells`` (one cell -> a JSON value), ``sheets`` (a sheet -> rows, with their places),
``reading`` (rows -> the scenario document, errors placed in the workbook).
"""

from scheduler.io.workbook.example import example_scenario
from scheduler.io.workbook.layout import SHEETS, XLSX_MIME
from scheduler.io.workbook.reading import read_workbook, read_workbook_with_warnings
from scheduler.io.workbook.writing import template_workbook, write_workbook

__all__ = [
    "SHEETS",
    "XLSX_MIME",
    "example_scenario",
    "read_workbook",
    "read_workbook_with_warnings",
    "template_workbook",
    "write_workbook",
]
