/**
 * The people of the sandbox's company: deterministic names, handles and emails (the same
 * email in the Claude organisation and in Slack, which is how Steward finds a person),
 * and whether they have a Slack account.
 */
export interface SandboxPerson {
  index: number;
  /** The Anthropic user id. */
  userId: string;
  name: string;
  /** The email local part, also the Slack handle. */
  handle: string;
  email: string;
  /** The contractor (index 4) has no Slack account: their reviews go to the security channel. */
  inSlack: boolean;
  title: string;
}

const FIRST = [
  'Sam',
  'Priya',
  'Marcus',
  'Elena',
  'Tomás',
  'Yuki',
  'Daniel',
  'Ruth',
  'Omar',
  'Hannah',
  'Kwame',
  'Lucía',
  'Chen',
  'Fatima',
  'Jonas',
  'Aisha',
  'Mateo',
  'Ingrid',
  'Ravi',
  'Sofia',
  'Ben',
  'Mei',
  'Lars',
  'Nadia',
  'Felix',
  'Amara',
  'Hugo',
  'Leila',
  'Pavel',
  'Grace',
  'Diego',
  'Noor',
  'Theo',
  'Zara',
  'Ivan',
  'Clara',
  'Kenji',
  'Olga',
  'Malik',
  'Rosa',
  'Anton',
  'Beatriz',
  'Samir',
  'Hana',
  'Erik',
  'Maya',
  'Luca',
  'Aiyana',
];
const LAST = [
  'Rivera',
  'Natarajan',
  'Webb',
  'Petrova',
  'García',
  'Tanaka',
  'Okafor',
  'Lindqvist',
  'Haddad',
  'Becker',
  'Mensah',
  'Moreno',
  'Wei',
  'Rahman',
  'Keller',
  'Bello',
  'Rossi',
  'Nilsen',
  'Iyer',
  'Costa',
  'Adler',
  'Lin',
  'Berg',
  'Karimi',
  'Novak',
  'Eze',
  'Laurent',
  'Farah',
  'Dvořák',
  'Hopper',
  'Silva',
  'Aziz',
  'Brooks',
  'Khan',
];
const TITLES = [
  'Head of Security',
  'Security Engineer',
  'Engineering Manager',
  'Staff Engineer',
  'Contractor',
  'Product Designer',
  'Data Engineer',
  'Support Engineer',
  'New hire',
];

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export function sandboxPeople(count: number): SandboxPerson[] {
  const taken = new Set<string>();
  const out: SandboxPerson[] = [];
  for (let i = 0; i < count; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i + Math.floor(i / FIRST.length) * 7) % LAST.length]!;
    let handle = `${ascii(first)}.${ascii(last)}`;
    for (let n = 2; taken.has(handle); n++) handle = `${ascii(first)}.${ascii(last)}${n}`;
    taken.add(handle);
    out.push({
      index: i,
      userId: `user_01SANDBOX${String(i + 1).padStart(4, '0')}`,
      name: `${first} ${last}`,
      handle,
      email: `${handle}@acme.example`,
      inSlack: i !== 4,
      title: TITLES[i] ?? ['Software Engineer', 'Data Scientist', 'Analyst', 'Product Manager'][i % 4]!,
    });
  }
  return out;
}
