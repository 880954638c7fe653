export * from './modes';
export * from './errors';
export * from './messages';
export * from './events';
export * from './api';
export * from './bridge';
export * from './external-url';
export * from './content-security-policy';
