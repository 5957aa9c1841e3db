import { draft2020, isoDate, type LibraryEntry, nullable, str } from './library-entry.ts';

const confidence = { type: 'number', minimum: 0, maximum: 1, description: 'How sure, 0–1' };

const supportIntent: LibraryEntry = {
  name: 'customer-support-intent',
  description: 'Intent, urgency and routing of a customer support message.',
  tags: ['support', 'classification'],
  schema: {
    $schema: draft2020,
    title: 'Support intent',
    type: 'object',
    required: ['intent', 'urgency', 'summary'],
    properties: {
      intent: {
        enum: ['billing', 'technical_issue', 'account_access', 'cancellation', 'feature_request', 'other'],
      },
      urgency: { enum: ['low', 'normal', 'high'] },
      summary: str('The request in one sentence'),
      order_id: nullable('string', 'Order or ticket number mentioned'),
      sentiment: { enum: ['negative', 'neutral', 'positive'] },
    },
  },
  examples: [
    {
      prompt: 'I was charged twice for order 88123 and need the money back today, this is unacceptable!',
      output: {
        intent: 'billing',
        urgency: 'high',
        summary: 'Customer was charged twice for an order and wants a refund.',
        order_id: '88123',
        sentiment: 'negative',
      },
    },
  ],
};

const classification: LibraryEntry = {
  name: 'document-classification',
  description: 'The type of a document, its language and topics, with a confidence.',
  tags: ['classification', 'documents'],
  schema: {
    $schema: draft2020,
    title: 'Document class',
    type: 'object',
    required: ['document_type', 'confidence'],
    properties: {
      document_type: {
        enum: ['invoice', 'receipt', 'contract', 'letter', 'report', 'resume', 'form', 'email', 'other'],
      },
      language: nullable('string', 'ISO 639-1 code'),
      topics: { type: 'array', items: { type: 'string' }, maxItems: 10 },
      confidence,
    },
  },
  examples: [
    {
      prompt: 'This agreement is made between Acme GmbH and Northwind Ltd. The parties agree as follows: …',
      output: {
        document_type: 'contract',
        language: 'en',
        topics: ['agreement', 'parties'],
        confidence: 0.9,
      },
    },
  ],
};

const translation: LibraryEntry = {
  name: 'translation',
  description: 'A translation with the detected source language and notes on terms left as they were.',
  tags: ['language'],
  schema: {
    $schema: draft2020,
    title: 'Translation',
    type: 'object',
    required: ['source_language', 'target_language', 'translation'],
    properties: {
      source_language: str('ISO 639-1 code of the original'),
      target_language: str('ISO 639-1 code asked for'),
      translation: str('The translated text'),
      notes: { type: 'array', items: { type: 'string' } },
    },
  },
  examples: [
    {
      prompt: 'Translate "Hello World, see you at the Kickoff" to French',
      output: {
        source_language: 'en',
        target_language: 'fr',
        translation: 'Bonjour le monde, à bientôt au Kickoff',
        notes: ['"Kickoff" kept as a proper name'],
      },
    },
  ],
};

const sentiment: LibraryEntry = {
  name: 'sentiment-aspects',
  description: 'Overall sentiment of a review and the sentiment per aspect (price, quality, service, …).',
  tags: ['classification', 'reviews'],
  schema: {
    $schema: draft2020,
    title: 'Aspect sentiment',
    type: 'object',
    required: ['overall', 'aspects'],
    properties: {
      overall: { enum: ['negative', 'mixed', 'neutral', 'positive'] },
      aspects: {
        type: 'array',
        items: {
          type: 'object',
          required: ['aspect', 'sentiment'],
          properties: {
            aspect: str('What is judged'),
            sentiment: { enum: ['negative', 'neutral', 'positive'] },
            quote: nullable('string', 'The words that say so'),
          },
        },
      },
    },
  },
  examples: [
    {
      prompt: 'Great food and friendly staff, but way too expensive for the portion size.',
      output: {
        overall: 'mixed',
        aspects: [
          { aspect: 'food', sentiment: 'positive', quote: 'Great food' },
          { aspect: 'service', sentiment: 'positive', quote: 'friendly staff' },
          { aspect: 'price', sentiment: 'negative', quote: 'way too expensive' },
        ],
      },
    },
  ],
};

const event: LibraryEntry = {
  name: 'calendar-event',
  description: 'An appointment or event from a message: title, date, time, place and attendees.',
  tags: ['productivity', 'extraction'],
  schema: {
    $schema: draft2020,
    title: 'Event',
    type: 'object',
    required: ['title', 'date'],
    properties: {
      title: str('What it is'),
      date: isoDate('Day of the event'),
      start_time: nullable('string', '24-hour time, HH:MM', { pattern: '^[0-2][0-9]:[0-5][0-9]$' }),
      location: nullable('string', 'Where'),
      attendees: { type: 'array', items: { type: 'string' } },
    },
  },
  examples: [
    {
      prompt: 'Dinner with Sam and Priya at Chez Paul on 2024-07-19 at 8pm',
      output: {
        title: 'Dinner',
        date: '2024-07-19',
        start_time: '20:00',
        location: 'Chez Paul',
        attendees: ['Sam', 'Priya'],
      },
    },
  ],
};

const jobPosting: LibraryEntry = {
  name: 'job-posting',
  description: 'Role, company, location, employment type, salary range and requirements of a job ad.',
  tags: ['hr', 'extraction'],
  schema: {
    $schema: draft2020,
    title: 'Job posting',
    type: 'object',
    required: ['title', 'company', 'requirements'],
    properties: {
      title: str('Role'),
      company: str('Hiring company'),
      location: nullable('string', 'City, or "remote"'),
      employment_type: { enum: ['full_time', 'part_time', 'contract', 'internship', 'unknown'] },
      salary_min: nullable('number', 'Lower end of the range per year'),
      salary_max: nullable('number', 'Upper end of the range per year'),
      requirements: { type: 'array', items: { type: 'string' } },
    },
  },
  examples: [
    {
      prompt:
        'Initech is hiring a full-time backend engineer in Berlin, 65-80k EUR. You know TypeScript and PostgreSQL.',
      output: {
        title: 'backend engineer',
        company: 'Initech',
        location: 'Berlin',
        employment_type: 'full_time',
        salary_min: 65000,
        salary_max: 80000,
        requirements: ['TypeScript', 'PostgreSQL'],
      },
    },
  ],
};

export const languageSchemas: LibraryEntry[] = [
  supportIntent,
  classification,
  translation,
  sentiment,
  event,
  jobPosting,
];
