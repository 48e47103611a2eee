"""What submitting a return answers: the return as it now stands, with the spend warning when there is one."""

from __future__ import annotations

import msgspec
from litestar.datastructures import UploadFile

from returns.schemas.returns import ReturnOut


class SpendWarningOut(msgspec.Struct, frozen=True, kw_only=True):
    """The quarter's spend is more than 10 % away from the quarter's share of the contract's value (a warning, not a
    refusal): the two amounts, the difference (spend less share) and the sentence saying so."""

    spend_pence: int
    quarter_share_pence: int
    difference_pence: int
    message: str


class SubmissionOut(msgspec.Struct, frozen=True, kw_only=True):
    delivery_return: ReturnOut
    spend_warning: SpendWarningOut | None = None


class FiguresUploadIn(msgspec.Struct):
    """The return's template filled in, CSV or Excel (XLSX), as `multipart/form-data` with one part named `file`."""

    file: UploadFile
