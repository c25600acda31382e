/**
 * @crossdock/master-data — master-data normalization over the store: the one normalization step
 * every ingest path runs (sync batches, EDI translation), the reference cache it resolves against,
 * reference-table maintenance for integration architects, and data-quality reads.
 *
 *   const normalization = new MasterDataNormalization(db);          // one per process
 *   const batch = await normalization.prepare(records);             // CPU; reloads reference data only when an epoch moved
 *   await db.unitOfWork.run((tx) => normalization.commit(tx, batch, runId));  // issues, holds, held records
 *   await new ManageReferenceTables(db).importCsv('item-cross-refs', text, 'xrefs.csv', { author, reason });
 */
export * from './reference-cache';
export * from './master-data-normalization';
export * from './manage-reference-tables.use-case';
export * from './dq-issue-reader';
export * from './held-records-retry';
