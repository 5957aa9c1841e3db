"""Quick start: analyze a prompt with the default schema, then with your own dataclass.

    SPS_BASE_URL=http://127.0.0.1:8000 SPS_API_KEY=sp_… python quickstart.py
"""

from dataclasses import dataclass

from structured_prompt import StructuredPromptClient, ValidationFailedError, parse_as


@dataclass
class Invoice:
    customer_email: str
    total: float
    currency: str
    due_date: str


def main() -> None:
    # base_url and api_key default to SPS_BASE_URL and SPS_API_KEY.
    with StructuredPromptClient(timeout=30, max_retries=2) as client:
        result = client.analyze("Translate Hello World to French")
        print(f"intent: {result.data['intent']}")
        print(f"confidence: {result.confidence} from {result.provider}/{result.model}")

        try:
            answer = client.analyze(
                "Invoice jane@example.com for 1,250.00 EUR for the March consulting work, due 2027-04-30",
                schema=Invoice,
            )
            invoice = parse_as(Invoice, answer.data)
            print(f"invoice: {invoice.customer_email} owes {invoice.total} {invoice.currency}")
        except ValidationFailedError as error:
            print(f"no valid invoice after {error.attempts} attempts: {error.errors}")


if __name__ == "__main__":
    main()
