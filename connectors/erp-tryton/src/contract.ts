// The connector contract, imported in one place so the path changes here only.
export type * from '../../../libs/connector-sdk/src/connector.contract';
