export default async function globalTeardown(): Promise<void> {
  // Peers started by a suite stop in that suite's afterAll; nothing global to stop.
}
