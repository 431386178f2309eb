import { describe, expect, it } from 'vitest';
import { actorIdentity } from './actor.js';

describe('actorIdentity', () => {
  it('joins each documented actor type on its own id field', () => {
    expect(actorIdentity({ type: 'user_actor', user_id: 'user_1', email_address: 'a@x' })).toEqual({
      actorType: 'user_actor',
      actorId: 'user_1',
      principals: [['user_1', 'user']],
    });
    expect(actorIdentity({ type: 'api_actor', api_key_id: 'apikey_1' })).toMatchObject({
      actorId: 'apikey_1',
      principals: [['apikey_1', 'api_key']],
    });
    expect(actorIdentity({ type: 'admin_api_key_actor', admin_api_key_id: 'apikey_a' })).toMatchObject({
      actorId: 'apikey_a',
      principals: [['apikey_a', 'admin_api_key']],
    });
    expect(actorIdentity({ type: 'service_account_actor', service_account_id: 'svac_1' })).toMatchObject({
      actorId: 'svac_1',
      principals: [['svac_1', 'service_account']],
    });
  });

  it('gives SCIM its directory id but credits no principal', () => {
    expect(actorIdentity({ type: 'scim_directory_sync_actor', directory_id: 'dir_1', workos_event_id: 'e' })).toEqual({
      actorType: 'scim_directory_sync_actor',
      actorId: 'dir_1',
      principals: [],
    });
  });

  it('credits every principal an actor names, once each', () => {
    const who = actorIdentity({
      type: 'api_actor',
      api_key_id: 'apikey_1',
      user_id: 'user_1',
      service_account_id: 'svac_1',
    });
    expect(who.actorId).toBe('apikey_1');
    expect(who.principals).toEqual([
      ['user_1', 'user'],
      ['apikey_1', 'api_key'],
      ['svac_1', 'service_account'],
    ]);
  });

  it('keeps unknown actor types, joining on whichever principal id they carry', () => {
    expect(actorIdentity({ type: 'robot_actor', service_account_id: 'svac_9' })).toEqual({
      actorType: 'robot_actor',
      actorId: 'svac_9',
      principals: [['svac_9', 'service_account']],
    });
    expect(actorIdentity({ type: 'anthropic_actor', email_address: null })).toEqual({
      actorType: 'anthropic_actor',
      actorId: null,
      principals: [],
    });
  });

  it('copes with a missing, null or odd actor', () => {
    expect(actorIdentity(undefined)).toEqual({ actorType: 'none', actorId: null, principals: [] });
    expect(actorIdentity(null)).toEqual({ actorType: 'none', actorId: null, principals: [] });
    expect(actorIdentity('user')).toEqual({ actorType: 'unknown', actorId: null, principals: [] });
    expect(actorIdentity({ user_id: 'user_1' })).toEqual({
      actorType: 'unknown',
      actorId: 'user_1',
      principals: [['user_1', 'user']],
    });
    expect(actorIdentity({ type: 'user_actor', user_id: '' }).principals).toEqual([]);
  });
});
