"""The customer features, described once.

`CustomerFeatures` validates API requests, and the same class names the training columns and their kinds
(numeric or categorical, with the categories), so the model and the API cannot drift apart.
"""

from typing import Annotated, Literal, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Contract = Literal["month-to-month", "one-year", "two-year"]
InternetService = Literal["none", "dsl", "fiber"]
PaymentMethod = Literal["electronic-check", "mailed-check", "bank-transfer", "credit-card"]


def _whole_float_as_int(value: object) -> object:
    # JSON Schema counts 500.0 as an integer, and clients that compute a number send it that way; strict
    # validation refuses any float for an int, so a whole one is turned into the int it is first.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_float_as_int)]
"""An `int` that also takes a whole float (`500.0`); `4.5`, `"4"` and `true` are still refused."""


class CustomerFeatures(BaseModel):
    """One customer as the model sees it.

    Validation is strict: no unknown fields, no strings where numbers belong, no NaN or infinity, and
    bounds that reject impossible values (they are business limits, wider than the training data).
    """

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [
                {
                    "tenure_months": 4,
                    "monthly_charges": 89.5,
                    "support_calls": 3,
                    "senior_citizen": False,
                    "paperless_billing": True,
                    "contract": "month-to-month",
                    "internet_service": "fiber",
                    "payment_method": "electronic-check",
                }
            ]
        },
    )

    tenure_months: WholeNumber = Field(ge=0, le=600, description="Months since the customer signed up")
    monthly_charges: float = Field(ge=0, le=10_000, description="Current monthly bill")
    support_calls: WholeNumber = Field(ge=0, le=1_000, description="Support calls in the last 90 days")
    senior_citizen: bool = Field(description="Customer is 65 or older")
    paperless_billing: bool = Field(description="Customer receives bills electronically")
    contract: Contract = Field(description="Contract term")
    internet_service: InternetService = Field(description="Internet product")
    payment_method: PaymentMethod = Field(description="How the customer pays")


FEATURE_COLUMNS: tuple[str, ...] = tuple(CustomerFeatures.model_fields)
"""Every feature, in the order of the class: the column order of training data."""

CATEGORICAL_FEATURES: dict[str, tuple[str, ...]] = {
    name: get_args(field.annotation)
    for name, field in CustomerFeatures.model_fields.items()
    if get_origin(field.annotation) is Literal
}
"""Categorical features and their allowed values, read from the `Literal` annotations."""

NUMERIC_FEATURES: tuple[str, ...] = tuple(
    name for name in FEATURE_COLUMNS if name not in CATEGORICAL_FEATURES
)
"""Numbers and booleans: scaled, not encoded."""
