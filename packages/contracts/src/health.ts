import { type Static, Type } from 'typebox';

export const CheckStatus = Type.Union([
  Type.Literal('up'),
  Type.Literal('down'),
  Type.Literal('not_configured'),
]);
export type CheckStatus = Static<typeof CheckStatus>;

export const DependencyCheck = Type.Object({
  status: CheckStatus,
  latency_ms: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  required: Type.Boolean({
    description: 'Whether the service is unhealthy (not just degraded) when this is down',
  }),
  detail: Type.Optional(
    Type.String({ description: 'Short reason when down, never an internal stack trace' }),
  ),
});
export type DependencyCheck = Static<typeof DependencyCheck>;

export const HealthStatus = Type.Union([
  Type.Literal('healthy'),
  Type.Literal('degraded'),
  Type.Literal('unhealthy'),
]);
export type HealthStatus = Static<typeof HealthStatus>;

export const HealthReport = Type.Object(
  {
    status: HealthStatus,
    version: Type.String({ examples: ['0.1.0'] }),
    uptime_seconds: Type.Number({ minimum: 0, examples: [42.5] }),
    checks: Type.Record(Type.String(), DependencyCheck),
  },
  {
    $id: 'HealthReport',
    examples: [
      {
        status: 'healthy',
        version: '0.1.0',
        uptime_seconds: 42.5,
        checks: {
          database: { status: 'up', latency_ms: 0.8, required: true },
          cache: { status: 'not_configured', latency_ms: null, required: false },
        },
      },
    ],
  },
);
export type HealthReport = Static<typeof HealthReport>;

export const ProbeReport = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  reason: Type.Optional(Type.String()),
});
export type ProbeReport = Static<typeof ProbeReport>;
