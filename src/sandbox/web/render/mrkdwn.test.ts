import { describe, expect, it } from 'vitest';
import type { RenderContext, UserJson } from '../types.js';
import { formatSlackDate, renderMrkdwn, renderTextObject } from './index.js';

const user = (id: string, real_name: string): UserJson => ({
  id,
  name: real_name.toLowerCase().replace(/\s+/g, '.'),
  real_name,
  display_name: '',
  email: null,
  is_bot: false,
  is_admin: false,
  is_owner: false,
  deleted: false,
  tz_offset: 0,
});

// 2025-03-12 09:30 UTC
const NOW = Date.UTC(2025, 2, 12, 9, 30);
const ctx: RenderContext = {
  users: { U1: user('U1', 'Ada Lovelace') },
  channels: {
    C1: {
      id: 'C1',
      kind: 'channel',
      name: 'security',
      user: null,
      members: [],
      is_private: false,
      is_archived: false,
      topic: '',
    },
  },
  botUserId: 'UBOT',
  appName: 'Steward',
  now: NOW,
  tzOffset: 0,
};
const md = (text: string, c: RenderContext = ctx) => renderMrkdwn(text, c);
const at = (y: number, m: number, d: number, h = 0, min = 0) => Math.floor(Date.UTC(y, m - 1, d, h, min) / 1000);

describe('renderMrkdwn', () => {
  it('formats bold, italic, strike and inline code at word edges only', () => {
    expect(md('*Kept* by _someone_ ~gone~ `sk-ant-…AbCd`')).toBe(
      '<strong>Kept</strong> by <em>someone</em> <del>gone</del> <code>sk-ant-…AbCd</code>',
    );
    expect(md('snake_case_name and 2*3*4')).toBe('snake_case_name and 2*3*4');
    expect(md('* not bold *')).toBe('* not bold *');
    expect(md('`*not bold* in code`')).toBe('<code>*not bold* in code</code>');
  });

  it('renders code blocks verbatim and leaves an unmatched fence as text', () => {
    expect(md('before\n```\nline 1\n*x* &lt;y&gt;\n```\nafter')).toBe(
      'before<br><pre class="mrkdwn-pre">line 1\n*x* &lt;y&gt;</pre><br>after',
    );
    expect(md('a ``` b')).toBe('a ``` b');
  });

  it('quotes lines starting with > (escaped or not) and >>> quotes the rest', () => {
    expect(md('&gt; quoted\n> also\nplain')).toBe('<blockquote class="mrkdwn-quote">quoted<br>also</blockquote>plain');
    expect(md('intro\n&gt;&gt;&gt; all\nof this')).toBe(
      'intro<blockquote class="mrkdwn-quote">all<br>of this</blockquote>',
    );
  });

  it('shows mentions as names, channels by name, and links with their label', () => {
    expect(md('<@U1>, see <#C1> and <https://example.com/a?b=1&amp;c=2|the docs>')).toBe(
      '<span class="mention" data-user="U1">@Ada Lovelace</span>, see <span class="channel-ref" data-channel="C1">#security</span> and ' +
        '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the docs</a>',
    );
    expect(md('<@U404|bob>')).toContain('@bob');
    expect(md('<@U405>')).toContain('@U405');
    expect(md('<!here> <!subteam^S1|@sec-team>')).toBe(
      '<span class="mention broadcast">@here</span> <span class="mention">@sec-team</span>',
    );
  });

  it('never lets text inject markup: escaped entities, stray brackets, unsafe URLs', () => {
    expect(md('&lt;img src=x onerror=alert(1)&gt; &amp; fish')).toBe('&lt;img src=x onerror=alert(1)&gt; &amp; fish');
    // A raw <b> is a link to "b" in Slack's grammar: not a URL the page follows, so just text.
    expect(md('<b>bold?</b>')).toBe('bbold?/b');
    expect(md('<javascript:alert(1)|click me>')).toBe('click me');
    expect(md('<https://x.test/"onmouseover="a|x>')).toBe(
      '<a href="https://x.test/&quot;onmouseover=&quot;a" target="_blank" rel="noopener noreferrer">x</a>',
    );
    expect(md('a < b and c > d')).toBe('a &lt; b and c &gt; d');
  });

  it('renders dates in the reader zone, relative to the simulated clock, with the fallback when invalid', () => {
    expect(md(`due <!date^${at(2025, 3, 12, 17)}^{date_short_pretty}|2025-03-12>`)).toContain('>today</time>');
    expect(md(`<!date^${at(2025, 3, 11, 17)}^{date_short_pretty} at {time}|x>`)).toContain(
      '>yesterday at 5:00 PM</time>',
    );
    expect(md(`<!date^${at(2025, 4, 1)}^{date_short}|2025-04-01>`)).toContain('>Apr 1, 2025</time>');
    expect(md(`<!date^nope^{date}|the fallback>`)).toContain('>the fallback</time>');
    // 23:30 UTC on the 12th is already the 13th in UTC+2.
    const east = { ...ctx, tzOffset: 7200 };
    expect(md(`<!date^${at(2025, 3, 12, 23, 30)}^{date_num} {time}|x>`, east)).toContain('>2025-03-13 1:30 AM</time>');
  });

  it('replaces known emoji shortcodes and keeps unknown ones', () => {
    expect(md(':white_check_mark: done :not_an_emoji:')).toBe(
      '<span class="emoji" title=":white_check_mark:">✅</span> done :not_an_emoji:',
    );
    expect(md('at 10:30:45')).toBe('at 10:30:45');
  });

  it('keeps line breaks and nests emphasis around mentions', () => {
    expect(md('*<@U1>*\nnext')).toBe(
      '<strong><span class="mention" data-user="U1">@Ada Lovelace</span></strong><br>next',
    );
  });
});

describe('formatSlackDate', () => {
  const f = (format: string, when: number) => formatSlackDate({ epochSeconds: when, format, now: NOW, tzOffset: 0 });
  it('covers the documented tokens', () => {
    const t = at(2014, 2, 18, 6, 39);
    expect(f('{date_num}', t)).toBe('2014-02-18');
    expect(f('{date}', t)).toBe('February 18th, 2014');
    expect(f('{date_short}', t)).toBe('Feb 18, 2014');
    expect(f('{date_long}', t)).toBe('Tuesday, February 18th, 2014');
    expect(f('{date_pretty}', t)).toBe('February 18th, 2014');
    expect(f('{time}', t)).toBe('6:39 AM');
    expect(f('{time_secs}', t)).toBe('6:39:00 AM');
    expect(f('{date_slash}', t)).toBe('18/02/2014');
    expect(f('{unknown}', t)).toBe('{unknown}');
  });
  it('uses relative words and ago against the clock given', () => {
    expect(f('{date_long_pretty}', at(2025, 3, 13, 8))).toBe('tomorrow');
    expect(f('{day_divider_pretty}', at(2025, 3, 2))).toBe('Sunday, March 2nd');
    expect(f('{ago}', at(2025, 3, 9, 9, 30))).toBe('3 days ago');
    expect(f('{ago}', at(2025, 3, 12, 11, 30))).toBe('in 2 hours');
  });
});

describe('renderTextObject', () => {
  it('shows plain_text literally (emoji unless turned off) and formats mrkdwn', () => {
    expect(renderTextObject({ type: 'plain_text', text: '*Keep* :wave:', emoji: true }, ctx)).toBe(
      '*Keep* <span class="emoji" title=":wave:">👋</span>',
    );
    expect(renderTextObject({ type: 'plain_text', text: ':wave: <b>', emoji: false }, ctx)).toBe(':wave: &lt;b&gt;');
    expect(renderTextObject({ type: 'mrkdwn', text: '*Keep*' }, ctx)).toBe('<strong>Keep</strong>');
  });
});
