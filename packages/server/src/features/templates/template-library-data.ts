import type { LibraryTemplate } from './template-library.ts';

const text = (description: string) => ({
  name: 'text',
  type: 'string' as const,
  required: true,
  description,
});
const precise = { temperature: 0 };

/** The built-in templates: the requests users make most, written once and kept versioned. */
export const libraryTemplates: LibraryTemplate[] = [
  {
    name: 'invoice-extraction',
    description: 'Extract vendor, invoice number, dates, line items, totals and currency from an invoice.',
    tags: ['finance', 'extraction'],
    content: {
      template:
        'Extract the invoice data from the {{ document_type }} below: vendor, invoice number, issue and due ' +
        'dates (ISO 8601), every line item with quantity and amount, subtotal, tax, total and the ISO 4217 ' +
        'currency code.{% if currency_hint %} Amounts without a currency are in {{ currency_hint }}.{% endif %}' +
        '\n\n{{ text }}',
      parameters: [
        text('The invoice as plain text (OCR output is fine)'),
        { name: 'document_type', type: 'string', default: 'invoice', description: 'invoice, credit note, …' },
        { name: 'currency_hint', type: 'string', description: 'Currency to assume when none is printed' },
      ],
      schema: null,
      defaults: precise,
    },
  },
  {
    name: 'support-triage',
    description:
      'Classify a customer message: intent, urgency, product area, sentiment and a suggested reply.',
    tags: ['support', 'classification'],
    content: {
      template:
        'Triage this customer support message for {{ company }}. Give the intent, one of the categories ' +
        '{{ categories | join: ", " }}, the urgency (low, normal, high, critical), the sentiment, the ' +
        'product area and a one-sentence suggested reply.\n\nMessage:\n{{ text }}',
      parameters: [
        text('The customer message'),
        { name: 'company', type: 'string', default: 'our company', description: 'Who the customer wrote to' },
        {
          name: 'categories',
          type: 'array',
          default: ['billing', 'bug', 'how-to', 'account', 'feature request', 'other'],
          description: 'Categories to choose from',
        },
      ],
      schema: null,
      defaults: precise,
    },
  },
  {
    name: 'translation',
    description: 'Translate a text into a target language, keeping tone and formatting.',
    tags: ['language'],
    content: {
      template:
        'Translate the text below into {{ target_language }}{% if source_language %} from ' +
        '{{ source_language }}{% endif %}. Keep the tone ({{ tone }}), names, numbers and formatting. Give ' +
        'the translation and the detected source language.\n\n{{ text }}',
      parameters: [
        text('The text to translate'),
        { name: 'target_language', type: 'string', required: true, description: 'Language name or ISO code' },
        { name: 'source_language', type: 'string', description: 'Leave out to detect it' },
        { name: 'tone', type: 'string', default: 'as in the original' },
      ],
      schema: null,
      defaults: { temperature: 0.2 },
    },
  },
  {
    name: 'document-classification',
    description: 'Assign a document to one of the given classes, with the reasons.',
    tags: ['classification'],
    content: {
      template:
        'Classify the document below into exactly one of: {{ classes | join: ", " }}. Give the class, a ' +
        'confidence between 0 and 1 and the phrases that decided it.\n\n{{ text }}',
      parameters: [
        text('The document text'),
        { name: 'classes', type: 'array', required: true, description: 'The classes to choose from' },
      ],
      schema: null,
      defaults: precise,
    },
  },
  {
    name: 'contact-extraction',
    description: 'Pull people and companies with their contact details out of an email or signature.',
    tags: ['extraction', 'sales'],
    content: {
      template:
        'List every person and company in the text below with name, job title, company, email addresses, ' +
        'phone numbers (E.164 when the country is clear) and postal address. Leave out what is not ' +
        'written.\n\n{{ text }}',
      parameters: [text('An email, a signature, a business card text')],
      schema: null,
      defaults: precise,
    },
  },
  {
    name: 'meeting-action-items',
    description: 'Summarize meeting notes into decisions and action items with owners and due dates.',
    tags: ['productivity', 'summarization'],
    content: {
      template:
        'From the meeting notes below{% if meeting_date %} (meeting held on {{ meeting_date }}){% endif %}, ' +
        'list the decisions, and every action item with its owner and due date (ISO 8601, or null). End ' +
        'with a summary of at most {{ max_summary_sentences }} sentences.\n\n{{ text }}',
      parameters: [
        text('The notes or transcript'),
        {
          name: 'meeting_date',
          type: 'string',
          description: 'Resolves relative dates such as "next Friday"',
        },
        { name: 'max_summary_sentences', type: 'integer', default: 3 },
      ],
      schema: null,
      defaults: precise,
    },
  },
  {
    name: 'review-sentiment',
    description: 'Overall sentiment of a review and the sentiment towards each aspect it mentions.',
    tags: ['classification', 'feedback'],
    content: {
      template:
        'Give the overall sentiment (positive, neutral, negative, mixed) of this {{ subject }} review and, ' +
        'for each aspect it mentions{% if aspects %} (look for: {{ aspects | join: ", " }}){% endif %}, the ' +
        'aspect, its sentiment and the quote that shows it.\n\n{{ text }}',
      parameters: [
        text('The review'),
        { name: 'subject', type: 'string', default: 'product' },
        { name: 'aspects', type: 'array', description: 'Aspects to look for in particular' },
      ],
      schema: null,
      defaults: precise,
    },
  },
  {
    name: 'receipt-extraction',
    description: 'Merchant, date, items, tax and total of a shop or restaurant receipt.',
    tags: ['finance', 'extraction'],
    content: {
      template:
        'Extract from the receipt below: merchant name and address, date and time (ISO 8601), every item ' +
        'with quantity and price, tax, tip, total, currency and payment method.\n\n{{ text }}',
      parameters: [text('The receipt text (OCR output is fine)')],
      schema: null,
      defaults: precise,
    },
  },
];
