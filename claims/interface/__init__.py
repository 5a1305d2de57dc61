"""国保連 claim files (J111 請求書, J121 明細書, J611 実績記録票) for a 就労定着支援 month.

Public API:
    write_claim_files(month: OfficeMonth, settings: InterfaceSettings) -> list[ClaimFile]
    validate_claim_files(files: [(name, bytes)], *, settings=None) -> list[Problem]
    validate_claim_file(data: bytes, *, name=None, settings=None) -> list[Problem]
Inputs (inputs.py): OfficeMonth, ClientMonth, ClientTotals, ClaimLine, SupportDay, CapManagement,
InitialAddOn, Contract, InterfaceSettings. Errors (errors.py): Problem, ClaimFileError, ClaimSettingsError.
"""

from .builder import FILE_NAMES, ClaimFile, write_claim_files
from .errors import ClaimFileError, ClaimSettingsError, Problem
from .inputs import (
    CapManagement,
    ClaimLine,
    ClientMonth,
    ClientTotals,
    Contract,
    InitialAddOn,
    InterfaceSettings,
    OfficeMonth,
    SupportDay,
)
from .validator import validate_claim_file, validate_claim_files

__all__ = [
    "FILE_NAMES",
    "CapManagement",
    "ClaimFile",
    "ClaimFileError",
    "ClaimLine",
    "ClaimSettingsError",
    "ClientMonth",
    "ClientTotals",
    "Contract",
    "InitialAddOn",
    "InterfaceSettings",
    "OfficeMonth",
    "Problem",
    "SupportDay",
    "validate_claim_file",
    "validate_claim_files",
    "write_claim_files",
]
