import { requireServices } from './services';

export default async function globalSetup(): Promise<void> {
  await requireServices();
}
