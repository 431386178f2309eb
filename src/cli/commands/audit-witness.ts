import { checkWitnesses, describeWitnessCheck } from '../../audit/witness-check.js';
import type { WitnessBoard } from '../../audit/witness.js';
import type { Config } from '../../config/index.js';
import type { Executor } from '../../db/types.js';
import type { CliContext } from '../types.js';

/**
 * `steward audit verify --witness`: reads the audit heads Steward posted to the security
 * channel back through the Slack API and checks each against the database. Exit 1 on any
 * violation.
 */
export async function verifyWitnesses(
  ctx: CliContext,
  config: Config,
  db: Executor,
  board: Pick<WitnessBoard, 'read'>,
): Promise<number> {
  const reading = await board.read();
  const check = await checkWitnesses(db, reading.heads);
  const lines = describeWitnessCheck(check, reading.ignored, `channel ${config.securityChannel}`);
  for (const l of lines.out) ctx.io.out(l);
  for (const l of lines.err) ctx.io.err(l);
  return lines.err.length > 0 ? 1 : 0;
}
