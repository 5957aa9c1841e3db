"""JSON Schemas derived from dataclasses and TypedDicts, and answers parsed back into them."""

import enum
import unittest
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Optional, TypedDict

from structured_prompt import parse_as, template_parameter, to_json_schema


class Currency(enum.Enum):
    EUR = "EUR"
    USD = "USD"


@dataclass
class Line:
    description: str
    amount: float


@dataclass
class Invoice:
    """An invoice read from free text."""

    customer_email: str
    currency: Currency
    due_date: date
    lines: list[Line]
    kind: Literal["invoice", "credit_note"] = "invoice"
    note: Optional[str] = None
    tags: list[str] = field(default_factory=list)


class Contact(TypedDict, total=False):
    name: str
    age: int


class ToJsonSchemaTest(unittest.TestCase):
    def test_dataclass_becomes_a_closed_object_schema(self):
        schema = to_json_schema(Invoice)
        self.assertEqual(schema["$schema"], "https://json-schema.org/draft/2020-12/schema")
        self.assertEqual(schema["title"], "Invoice")
        self.assertEqual(schema["description"], "An invoice read from free text.")
        self.assertEqual(schema["required"], ["customer_email", "currency", "due_date", "lines"])
        self.assertFalse(schema["additionalProperties"])
        properties = schema["properties"]
        self.assertEqual(properties["currency"], {"enum": ["EUR", "USD"]})
        self.assertEqual(properties["due_date"], {"type": "string", "format": "date"})
        self.assertEqual(properties["kind"], {"enum": ["invoice", "credit_note"]})
        self.assertEqual(properties["note"], {"anyOf": [{"type": "string"}, {"type": "null"}]})
        self.assertEqual(properties["lines"]["items"]["properties"]["amount"], {"type": "number"})

    def test_typeddict_respects_totality(self):
        schema = to_json_schema(Contact)
        self.assertEqual(schema["required"], [])
        self.assertEqual(schema["properties"], {"name": {"type": "string"}, "age": {"type": "integer"}})

    def test_dicts_pass_through_and_other_values_are_refused(self):
        self.assertEqual(to_json_schema({"type": "object"}), {"type": "object"})
        self.assertIs(to_json_schema(True), True)
        with self.assertRaises(TypeError):
            to_json_schema(int)


class ParseAsTest(unittest.TestCase):
    def test_builds_nested_dataclasses_enums_and_dates(self):
        data = {
            "customer_email": "jane@example.com",
            "currency": "EUR",
            "due_date": "2027-04-30",
            "lines": [{"description": "consulting", "amount": 1250}],
            "unknown_field": "ignored",
        }
        invoice = parse_as(Invoice, data)
        self.assertEqual(invoice.currency, Currency.EUR)
        self.assertEqual(invoice.due_date, date(2027, 4, 30))
        self.assertEqual(invoice.lines, [Line("consulting", 1250.0)])
        self.assertIsInstance(invoice.lines[0].amount, float)
        self.assertEqual(invoice.kind, "invoice")


class TemplateParameterTest(unittest.TestCase):
    def test_a_default_makes_the_parameter_optional(self):
        self.assertEqual(
            template_parameter("language", default="en", description="Answer language"),
            {"name": "language", "type": "string", "required": False, "default": "en", "description": "Answer language"},
        )
        self.assertEqual(template_parameter("count", "integer"), {"name": "count", "type": "integer", "required": True})


if __name__ == "__main__":
    unittest.main()
