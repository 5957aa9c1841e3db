/**
 * The realistic request of the peer comparison: a support ticket extracted with a 10-property schema
 * (nested objects, enums, an array), from prompts of 300–800 characters in several languages. The
 * same schema goes to our `/v1/analyze` as `schema` and to the peer as OpenAI's `response_format`.
 */

const ticketSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'category',
    'priority',
    'sentiment',
    'summary',
    'customer',
    'order',
    'requested_action',
    'deadline',
    'tags',
    'needs_human',
  ],
  properties: {
    category: { type: 'string', enum: ['billing', 'shipping', 'technical', 'account', 'other'] },
    priority: { type: 'string', enum: ['low', 'medium', 'high', 'urgent'] },
    sentiment: { type: 'string', enum: ['negative', 'neutral', 'positive'] },
    summary: { type: 'string', description: 'One sentence, in the language of the message' },
    customer: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'tier'],
      properties: {
        name: { type: 'string' },
        tier: { type: 'string', enum: ['free', 'pro', 'enterprise'] },
      },
    },
    order: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'items'],
      properties: { id: { type: 'string' }, items: { type: 'integer', minimum: 0 } },
    },
    requested_action: {
      type: 'string',
      enum: ['refund', 'replacement', 'explanation', 'escalation', 'none'],
    },
    deadline: { type: 'string', description: 'ISO 8601 date, or empty when none is named' },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 8 },
    needs_human: { type: 'boolean' },
  },
} as const;

/** What the fake provider answers on its `/realistic/` path: valid against the schema above. */
export const realisticAnswer = {
  category: 'shipping',
  priority: 'high',
  sentiment: 'negative',
  summary: 'The parcel arrived damaged and the customer wants a replacement before the weekend.',
  customer: { name: 'Claire Martin', tier: 'pro' },
  order: { id: 'A-48213', items: 3 },
  requested_action: 'replacement',
  deadline: '2026-12-12',
  tags: ['damaged', 'delivery', 'replacement'],
  needs_human: true,
};

/** Customer messages in six languages, 300–800 characters each. */
export const realisticPrompts: readonly string[] = [
  'Hello, I ordered three ceramic mugs (order A-48213) two weeks ago and the parcel finally arrived this morning, but the box was crushed and two of the mugs are broken into pieces. I have attached photos of the packaging and the damage. I am a Pro customer and have always been happy with your shop, so this is disappointing. Could you please send a replacement for the two broken mugs? They are a birthday present for my sister and I need them before Saturday the 12th. A refund would be my second choice. Thank you, Claire Martin',
  "Bonjour, j'ai commandé trois tasses en céramique (commande A-48213) il y a deux semaines et le colis est enfin arrivé ce matin, mais le carton était écrasé et deux tasses sont cassées. Je joins des photos de l'emballage et des dégâts. Je suis cliente Pro et j'ai toujours été satisfaite de votre boutique, c'est donc décevant. Pourriez-vous m'envoyer un remplacement pour les deux tasses cassées ? C'est un cadeau d'anniversaire pour ma sœur et j'en ai besoin avant samedi 12. Merci, Claire Martin",
  'Guten Tag, ich habe vor zwei Wochen drei Keramiktassen bestellt (Bestellung A-48213). Das Paket kam heute Morgen endlich an, aber der Karton war eingedrückt und zwei Tassen sind zerbrochen. Fotos der Verpackung und der Schäden habe ich angehängt. Ich bin Pro-Kundin und war mit Ihrem Shop bisher immer zufrieden, deshalb bin ich enttäuscht. Könnten Sie mir bitte Ersatz für die zwei zerbrochenen Tassen schicken? Sie sind ein Geburtstagsgeschenk für meine Schwester und ich brauche sie vor Samstag, dem 12. Vielen Dank, Claire Martin',
  'Hola, hace dos semanas pedí tres tazas de cerámica (pedido A-48213) y el paquete llegó por fin esta mañana, pero la caja venía aplastada y dos de las tazas están rotas. Adjunto fotos del embalaje y de los daños. Soy clienta Pro y siempre he estado contenta con su tienda, así que esto me decepciona. ¿Podrían enviarme un reemplazo de las dos tazas rotas? Son un regalo de cumpleaños para mi hermana y las necesito antes del sábado 12. Un reembolso sería mi segunda opción. Gracias, Claire Martin',
  'Olá, encomendei três canecas de cerâmica (pedido A-48213) há duas semanas e a encomenda chegou finalmente esta manhã, mas a caixa estava amassada e duas canecas estão partidas. Envio fotografias da embalagem e dos danos. Sou cliente Pro e sempre fiquei satisfeita com a vossa loja, por isso isto é uma desilusão. Podem enviar-me uma substituição das duas canecas partidas? São uma prenda de aniversário para a minha irmã e preciso delas antes de sábado, dia 12. Obrigada, Claire Martin',
  'こんにちは。2週間前に陶器のマグカップを3つ注文しました（注文番号 A-48213）。今朝ようやく荷物が届きましたが、箱がつぶれていて、マグカップのうち2つが割れていました。梱包と破損の写真を添付します。私はProプランの顧客で、これまでずっとお店に満足していたので、とても残念です。割れた2つのマグカップの交換品を送っていただけますか。妹への誕生日プレゼントなので、12日の土曜日までに必要です。返金は第二の選択肢です。どうぞよろしくお願いいたします。クレール・マルタン。追伸：次回の注文では、緩衝材を多めに入れていただけると助かります。また、配送状況の確認メールが一度も届かなかったので、通知の設定も確認していただけますか。前回の注文のときは問題なく届いていました。',
];

/** The model the peer is asked for; our service uses its configured default for `openai`. */
const peerModel = 'gpt-4o-mini';

/** Where `prompt` goes in a request body: the load generator swaps this string for each prompt. */
export const promptSlot = '__BENCH_PROMPT__';

/** `POST /v1/analyze` through the `openai` provider, with the schema, never answered from the cache. */
export function analyzeRealisticBody(bypassCache: boolean): Record<string, unknown> {
  return {
    prompt: promptSlot,
    provider: 'openai',
    schema: ticketSchema,
    ...(bypassCache ? { options: { bypass_cache: true } } : {}),
  };
}

/** The same extraction as an OpenAI chat completion with `response_format` `json_schema`. */
export function chatCompletionBody(): Record<string, unknown> {
  return {
    model: peerModel,
    messages: [
      { role: 'system', content: 'Extract the support ticket from the customer message as JSON.' },
      { role: 'user', content: promptSlot },
    ],
    response_format: {
      type: 'json_schema',
      json_schema: { name: 'support_ticket', strict: true, schema: ticketSchema },
    },
  };
}
