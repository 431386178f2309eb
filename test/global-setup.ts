import { ensurePgliteTemplate } from './helpers/pglite-template.js';

// Build the migrated PGlite template once, before the workers start using it.
export default async function setup(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL) await ensurePgliteTemplate();
}
