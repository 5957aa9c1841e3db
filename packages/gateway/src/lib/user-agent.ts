import gatewayPackage from '../../package.json' with { type: 'json' };

/** What vendor calls send as User-Agent, so a vendor's logs name the service and its version. */
export const userAgent = `structured-prompt-service/${gatewayPackage.version}`;
