import serverPackage from '../../package.json' with { type: 'json' };

/** The service version, from the server package manifest. */
export const serviceVersion: string = serverPackage.version;
