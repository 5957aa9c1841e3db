import { currency, draft2020, isoDate, type LibraryEntry, nullable, num, str } from './library-entry.ts';

const lineItem = {
  type: 'object',
  required: ['description', 'quantity', 'unit_price', 'amount'],
  properties: {
    description: str('What was sold'),
    quantity: num('Units', { minimum: 0 }),
    unit_price: num('Price per unit'),
    amount: num('quantity × unit_price'),
  },
};

const invoice: LibraryEntry = {
  name: 'invoice-extraction',
  description: 'Header, parties, line items and totals of an invoice.',
  tags: ['finance', 'extraction', 'documents'],
  schema: {
    $schema: draft2020,
    title: 'Invoice',
    type: 'object',
    required: ['invoice_number', 'vendor', 'currency', 'total', 'line_items'],
    properties: {
      invoice_number: str('Invoice number as printed'),
      vendor: str('Who issued the invoice'),
      customer: nullable('string', 'Who is billed'),
      issue_date: isoDate('Date of issue'),
      due_date: isoDate('Payment due date'),
      currency,
      line_items: { type: 'array', items: lineItem },
      subtotal: nullable('number', 'Total before tax'),
      tax: nullable('number', 'Tax amount'),
      total: num('Amount due'),
    },
  },
  examples: [
    {
      prompt:
        'Invoice INV-2024-118 from Acme GmbH to Northwind Ltd, dated 2024-03-02, due 2024-04-01: ' +
        '3 licences at 40 EUR. Subtotal 120 EUR, VAT 22.80 EUR, total 142.80 EUR.',
      output: {
        invoice_number: 'INV-2024-118',
        vendor: 'Acme GmbH',
        customer: 'Northwind Ltd',
        issue_date: '2024-03-02',
        due_date: '2024-04-01',
        currency: 'EUR',
        line_items: [{ description: 'licence', quantity: 3, unit_price: 40, amount: 120 }],
        subtotal: 120,
        tax: 22.8,
        total: 142.8,
      },
    },
  ],
};

const receipt: LibraryEntry = {
  name: 'receipt-extraction',
  description: 'Merchant, date, items, payment method and total of a shop or restaurant receipt.',
  tags: ['finance', 'extraction', 'expenses'],
  schema: {
    $schema: draft2020,
    title: 'Receipt',
    type: 'object',
    required: ['merchant', 'total', 'currency'],
    properties: {
      merchant: str('Shop or restaurant'),
      date: isoDate('Date of purchase'),
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'price'],
          properties: { name: str('Item'), price: num('Price paid') },
        },
      },
      payment_method: nullable('string', 'cash, card, …'),
      currency,
      total: num('Amount paid'),
    },
  },
  examples: [
    {
      prompt: 'Blue Bottle Coffee, 12 May 2024: latte 4.50, croissant 3.25, paid by card, total 7.75 USD',
      output: {
        merchant: 'Blue Bottle Coffee',
        date: '2024-05-12',
        items: [
          { name: 'latte', price: 4.5 },
          { name: 'croissant', price: 3.25 },
        ],
        payment_method: 'card',
        currency: 'USD',
        total: 7.75,
      },
    },
  ],
};

const form: LibraryEntry = {
  name: 'form-extraction',
  description: 'Any form as a list of labelled fields with their values, plus the fields left empty.',
  tags: ['extraction', 'documents'],
  schema: {
    $schema: draft2020,
    title: 'Form',
    type: 'object',
    required: ['form_type', 'fields'],
    properties: {
      form_type: str('What the form is, e.g. "change of address"'),
      fields: {
        type: 'array',
        items: {
          type: 'object',
          required: ['label', 'value'],
          properties: {
            label: str('The field label as printed'),
            value: nullable('string', 'The filled-in value'),
          },
        },
      },
      missing_fields: { type: 'array', items: { type: 'string' }, description: 'Labels left empty' },
    },
  },
  examples: [
    {
      prompt: 'Change of address form. Name: Maria Rossi. New address: Via Roma 5, Milan. Phone: (blank)',
      output: {
        form_type: 'change of address',
        fields: [
          { label: 'Name', value: 'Maria Rossi' },
          { label: 'New address', value: 'Via Roma 5, Milan' },
          { label: 'Phone', value: null },
        ],
        missing_fields: ['Phone'],
      },
    },
  ],
};

const contact: LibraryEntry = {
  name: 'contact-extraction',
  description: 'A person or lead from an email signature, business card or message.',
  tags: ['crm', 'extraction', 'sales'],
  schema: {
    $schema: draft2020,
    title: 'Contact',
    type: 'object',
    required: ['name'],
    properties: {
      name: str('Full name'),
      company: nullable('string', 'Organisation'),
      job_title: nullable('string', 'Role'),
      email: nullable('string', 'Email address', { format: 'email' }),
      phone: nullable('string', 'Phone number as written'),
      interest: nullable('string', 'What the lead asked about'),
    },
  },
  examples: [
    {
      prompt:
        'Hi, I am Tom Baker, procurement lead at Globex (tom.baker@globex.example, +44 20 7946 0018). ' +
        'We would like a quote for 50 seats.',
      output: {
        name: 'Tom Baker',
        company: 'Globex',
        job_title: 'procurement lead',
        email: 'tom.baker@globex.example',
        phone: '+44 20 7946 0018',
        interest: 'quote for 50 seats',
      },
    },
  ],
};

const product: LibraryEntry = {
  name: 'product-catalog-entry',
  description: 'A product description turned into a catalogue entry with attributes and price.',
  tags: ['e-commerce', 'extraction'],
  schema: {
    $schema: draft2020,
    title: 'Product',
    type: 'object',
    required: ['name', 'category', 'attributes'],
    properties: {
      name: str('Product name'),
      brand: nullable('string', 'Brand'),
      category: str('Catalogue category'),
      price: nullable('number', 'Price', { minimum: 0 }),
      currency: nullable('string', 'ISO 4217 currency code', { pattern: '^[A-Z]{3}$' }),
      attributes: {
        type: 'array',
        description: 'Colour, size, material, … (a list: every target can express it)',
        items: {
          type: 'object',
          required: ['name', 'value'],
          properties: { name: str('Attribute'), value: str('Its value') },
        },
      },
    },
  },
  examples: [
    {
      prompt: 'Trailmaster 2 hiking boots by Northpeak, waterproof leather, brown, size 42, 129 EUR',
      output: {
        name: 'Trailmaster 2 hiking boots',
        brand: 'Northpeak',
        category: 'footwear',
        price: 129,
        currency: 'EUR',
        attributes: [
          { name: 'material', value: 'waterproof leather' },
          { name: 'colour', value: 'brown' },
          { name: 'size', value: '42' },
        ],
      },
    },
  ],
};

const meeting: LibraryEntry = {
  name: 'meeting-action-items',
  description: 'Decisions and action items (owner, due date) from meeting notes.',
  tags: ['productivity', 'extraction'],
  schema: {
    $schema: draft2020,
    title: 'Meeting notes',
    type: 'object',
    required: ['summary', 'action_items'],
    properties: {
      summary: str('One or two sentences'),
      decisions: { type: 'array', items: { type: 'string' } },
      action_items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['task', 'owner'],
          properties: { task: str('What to do'), owner: str('Who does it'), due: isoDate('Due date') },
        },
      },
    },
  },
  examples: [
    {
      prompt:
        'Sync 3 June: we go with vendor B. Ana drafts the contract by 2024-06-10; Li books the kickoff.',
      output: {
        summary: 'The team chose vendor B and planned the contract and kickoff.',
        decisions: ['go with vendor B'],
        action_items: [
          { task: 'draft the contract', owner: 'Ana', due: '2024-06-10' },
          { task: 'book the kickoff', owner: 'Li', due: null },
        ],
      },
    },
  ],
};

export const extractionSchemas: LibraryEntry[] = [invoice, receipt, form, contact, product, meeting];
