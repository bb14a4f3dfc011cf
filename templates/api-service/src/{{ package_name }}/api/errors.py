"""Error responses that stay 4xx for any input."""

from fastapi import Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


async def validation_error_handler(request: Request, error: RequestValidationError) -> JSONResponse:
    """422 listing where and why validation failed, without echoing the input back.

    FastAPI's default handler returns each offending input, which can be large or sensitive, and which
    turns a client error into a server error when the input is not valid JSON (NaN, infinity).
    """
    details = [
        {"loc": list(item["loc"]), "msg": item["msg"], "type": item["type"]} for item in error.errors()
    ]
    return JSONResponse({"detail": details}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
