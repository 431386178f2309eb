/**
 * Who an activity names. The actor's `type` is stored as sent (unknown ones too);
 * `actorId` is its join key; `principals` are the ids the roll-ups credit — every one
 * of `user_id`, `api_key_id`, `service_account_id`, `admin_api_key_id` present on the
 * actor, so an API call made with a user's key counts for the user and the key.
 */
export interface ActorIdentity {
  actorType: string;
  actorId: string | null;
  principals: Array<[id: string, type: PrincipalType]>;
}

export type PrincipalType = 'user' | 'api_key' | 'service_account' | 'admin_api_key';

/** Field → roll-up principal type, in the order they are credited. */
const PRINCIPAL_FIELDS: ReadonlyArray<[string, PrincipalType]> = [
  ['user_id', 'user'],
  ['api_key_id', 'api_key'],
  ['service_account_id', 'service_account'],
  ['admin_api_key_id', 'admin_api_key'],
];

/** The join key of each documented actor type. */
const ID_FIELD: Readonly<Record<string, string>> = {
  user_actor: 'user_id',
  api_actor: 'api_key_id',
  admin_api_key_actor: 'admin_api_key_id',
  service_account_actor: 'service_account_id',
  scim_directory_sync_actor: 'directory_id',
};

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

export function actorIdentity(actor: unknown): ActorIdentity {
  if (actor === null || actor === undefined || typeof actor !== 'object' || Array.isArray(actor)) {
    return { actorType: actor === null || actor === undefined ? 'none' : 'unknown', actorId: null, principals: [] };
  }
  const a = actor as Record<string, unknown>;
  const actorType = str(a['type']) ?? 'unknown';
  const principals: ActorIdentity['principals'] = [];
  for (const [field, type] of PRINCIPAL_FIELDS) {
    const id = str(a[field]);
    if (id !== null && !principals.some(([p]) => p === id)) principals.push([id, type]);
  }
  const known = ID_FIELD[actorType];
  // An actor type we do not know yet still joins on whichever principal id it carries.
  const actorId = known !== undefined ? str(a[known]) : (principals[0]?.[0] ?? null);
  return { actorType, actorId, principals };
}
