import type { APIKey } from '@anthropic-ai/sdk/resources/organization/index.js';
import type { ExpectedFinding, KeyUsageDay, Listed } from './known-org.js';
import type { SandboxCast } from './sandbox-cast.js';
import type { SandboxPerson } from './sandbox-people.js';

export const sandboxKeyId = (n: string) => `apikey_01SANDBOX${n}`;

/**
 * The sandbox company's API keys with their daily usage, and the findings they must raise:
 * one unowned key per reason, the owned service account key (a trap), the spiking key, the
 * key seen only through background views, a never-used key, a key made yesterday (a
 * trap), then ordinary keys of active people, about one in eight dormant.
 */
export function sandboxKeys(cast: SandboxCast, wsOf: (i: number) => string) {
  const { opts, days, ago, dayAgo, priya, leaverA, leaverB, activePeople, leaverAGone, leaverBGone, listedFrom } = cast;
  // Keys and their usage.
  const keyUsage: KeyUsageDay[] = [];
  const use = (apiKeyId: string, d: number, requests: number) =>
    keyUsage.push({
      apiKeyId,
      date: dayAgo(d),
      requests,
      uncachedInputTokens: requests * 850,
      outputTokens: requests * 230,
    });
  /** Steady daily use below the spike floor, from `from` days ago to `to` days ago. */
  const steady = (id: string, base: number, from: number, to = 1, every = 1) => {
    for (let d = from; d >= to; d -= every) use(id, d, base + ((d * 7) % 5) * Math.round(base / 40));
  };
  const apiKeys: Array<Listed<APIKey>> = [];
  const expectedFindings: ExpectedFinding[] = [];
  const viewsOnlyFindings: ExpectedFinding[] = [];
  const keyWire = (k: {
    id: string;
    name: string;
    createdDaysAgo: number;
    createdBy: SandboxPerson | string | null;
    principal?: APIKey['principal'];
    ws: number;
  }): Listed<APIKey> => {
    const createdBy =
      k.createdBy === null
        ? null
        : { id: typeof k.createdBy === 'string' ? k.createdBy : k.createdBy.userId, type: 'user' as const };
    const listed: Listed<APIKey> = {
      wire: {
        id: k.id,
        type: 'api_key',
        name: k.name,
        created_at: ago(k.createdDaysAgo, 8),
        created_by: createdBy,
        expires_at: null,
        partial_key_hint: `sk-ant-api03-…${k.id.slice(-4)}`,
        principal: k.principal ?? null,
        scope: { type: 'workspace', workspace_id: wsOf(k.ws) },
        status: 'active',
      },
      firstSeenAt: listedFrom(ago(k.createdDaysAgo, 8)),
    };
    apiKeys.push(listed);
    return listed;
  };
  const asUser = (p: SandboxPerson | string) => ({
    type: 'user_actor' as const,
    user_id: typeof p === 'string' ? p : p.userId,
  });
  const unowned = (id: string, reason: string) =>
    expectedFindings.push({
      kind: 'unowned_key',
      subjectType: 'api_key',
      subjectId: id,
      via: null,
      unownedReason: reason,
    });

  const K = sandboxKeyId;
  keyWire({ id: K('NOCREATOR'), name: 'legacy-import', createdDaysAgo: days + 30, createdBy: null, ws: 1 });
  steady(K('NOCREATOR'), 120, days, 1, 2);
  unowned(K('NOCREATOR'), 'no_creator_recorded');

  keyWire({ id: K('LEAVERETL'), name: `${leaverA.handle}-etl`, createdDaysAgo: days + 20, createdBy: leaverA, ws: 1 });
  steady(K('LEAVERETL'), 400, days, leaverAGone + 1);
  unowned(K('LEAVERETL'), 'creator_removed');

  keyWire({
    id: K('OLDTEAM'),
    name: 'old-team-bot',
    createdDaysAgo: days + 60,
    createdBy: 'user_01SANDBOXFORMER',
    ws: 2,
  });
  steady(K('OLDTEAM'), 60, days, 1, 3);
  unowned(K('OLDTEAM'), 'creator_unknown');

  keyWire({
    id: K('LEAVERBOT'),
    name: `${leaverB.handle}-support-bot`,
    createdDaysAgo: days + 10,
    createdBy: leaverB,
    principal: asUser(leaverB),
    ws: 2,
  });
  steady(K('LEAVERBOT'), 250, days, leaverBGone + 1);
  unowned(K('LEAVERBOT'), 'principal_removed');

  keyWire({
    id: K('GHOSTAGENT'),
    name: 'acquired-co-agent',
    createdDaysAgo: days + 90,
    createdBy: null,
    principal: asUser('user_01SANDBOXACQUIRED'),
    ws: 0,
  });
  steady(K('GHOSTAGENT'), 90, days, 1, 2);
  unowned(K('GHOSTAGENT'), 'principal_unknown');

  const svc = (id: string) => ({ type: 'service_account_actor' as const, service_account_id: id });
  keyWire({
    id: K('ETL'),
    name: 'etl-nightly',
    createdDaysAgo: days + 5,
    createdBy: null,
    principal: svc('svcacct_01SANDBOXETL'),
    ws: 1,
  });
  steady(K('ETL'), 700, days);
  unowned(K('ETL'), 'service_account_unowned');

  keyWire({
    id: K('DEPLOY'),
    name: 'deploy-pipeline',
    createdDaysAgo: days + 5,
    createdBy: null,
    principal: svc('svcacct_01SANDBOXDEPLOY'),
    ws: 0,
  });
  steady(K('DEPLOY'), 80, days);

  const spikeOwner = activePeople[0] ?? priya;
  keyWire({
    id: K('SCRAPER'),
    name: 'docs-scraper',
    createdDaysAgo: days,
    createdBy: spikeOwner,
    principal: asUser(spikeOwner),
    ws: 2,
  });
  steady(K('SCRAPER'), 300, days, 2);
  use(K('SCRAPER'), 1, 7_400); // about 25× its trailing mean, far above the 1,000 floor
  expectedFindings.push({
    kind: 'usage_spike',
    subjectType: 'api_key',
    subjectId: K('SCRAPER'),
    via: 'principal',
    ownerUserId: spikeOwner.userId,
  });

  const viewsOwner = activePeople[1] ?? priya;
  keyWire({ id: K('VIEWER'), name: 'dashboard-embed', createdDaysAgo: days - 10, createdBy: viewsOwner, ws: 0 });
  steady(K('VIEWER'), 50, days - 10, 70, 3);
  viewsOnlyFindings.push({
    kind: 'dormant_key',
    subjectType: 'api_key',
    subjectId: K('VIEWER'),
    via: 'creator',
    ownerUserId: viewsOwner.userId,
  });

  const neverOwner = activePeople[2] ?? priya;
  keyWire({ id: K('FORGOTTEN'), name: 'hackathon-demo', createdDaysAgo: 45, createdBy: neverOwner, ws: 2 });
  expectedFindings.push({
    kind: 'dormant_key',
    subjectType: 'api_key',
    subjectId: K('FORGOTTEN'),
    via: 'creator',
    ownerUserId: neverOwner.userId,
  });
  keyWire({ id: K('BRANDNEW'), name: 'eval-harness', createdDaysAgo: 1, createdBy: priya, ws: 0 });
  keyWire({ id: K('PRIYANEW'), name: 'support-triage', createdDaysAgo: 10, createdBy: priya, ws: 1 });
  steady(K('PRIYANEW'), 150, 9);

  // The rest: ordinary keys of active people, about one in eight dormant.
  const planted = apiKeys.length;
  const ordinary = opts.keys - planted;
  const dormantKeys = Math.max(2, Math.round(opts.keys * 0.12));
  const keyWords = ['search', 'summaries', 'support', 'ci', 'notebook', 'etl', 'chatbot', 'eval', 'report', 'triage'];
  for (let i = 0; i < ordinary; i++) {
    const owner = activePeople[i % activePeople.length] ?? priya;
    const id = K(`K${String(i + 1).padStart(4, '0')}`);
    const name = `${owner.handle}-${keyWords[i % keyWords.length]}${i >= keyWords.length ? `-${Math.floor(i / keyWords.length) + 1}` : ''}`;
    const asPrincipal = i % 4 === 0;
    keyWire({
      id,
      name,
      createdDaysAgo: days + 15 + (i % 40),
      createdBy: owner,
      principal: asPrincipal ? asUser(owner) : null,
      ws: i,
    });
    if (i < dormantKeys) {
      const last = 35 + ((i * 11) % (days - 45));
      steady(id, 40 + (i % 7) * 20, days, last, 2);
      expectedFindings.push({
        kind: 'dormant_key',
        subjectType: 'api_key',
        subjectId: id,
        via: asPrincipal ? 'principal' : 'creator',
        ownerUserId: owner.userId,
      });
    } else {
      steady(id, 30 + ((i * 37) % 800), days, 1 + (i % 6), 1 + (i % 3));
    }
  }

  return { apiKeys, keyUsage, expectedFindings, viewsOnlyFindings };
}
