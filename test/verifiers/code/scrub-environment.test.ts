import { describe, expect, it } from 'vitest';
import { isSecretName, scrubEnvironment, withoutSecrets } from '../../../harness/verifiers/code/scrub-environment.ts';

describe('isSecretName', () => {
  it.each([
    ['HF_TOKEN', true],
    ['OPENAI_API_KEY', true],
    ['HUGGING_FACE_HUB_TOKEN', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['MY_SERVICE_KEY', true],
    ['DB_PASSWORD', true],
    ['GITHUB_TOKEN', true],
    ['api_key', true],
    ['PATH', false],
    ['HOME', false],
    ['LANG', false],
    ['KEYBOARD_LAYOUT', false],
    ['MONKEY', false],
  ])('%s -> %s', (name, expected) => {
    expect(isSecretName(name)).toBe(expected);
  });
});

describe('scrubEnvironment', () => {
  it('keeps only allowed, non-secret variables that have a value', () => {
    const environment = { PATH: '/usr/bin', HOME: '/root', HF_TOKEN: 'hf_x', OPENAI_API_KEY: 'sk', LANG: undefined, EDITOR: 'vi' };
    expect(scrubEnvironment(environment)).toEqual({ PATH: '/usr/bin', HOME: '/root' });
  });

  it('drops a secret-looking name even when it is allowed', () => {
    expect(scrubEnvironment({ PATH: '/bin', SERVICE_TOKEN: 't' }, ['PATH', 'SERVICE_TOKEN'])).toEqual({ PATH: '/bin' });
  });

  it('withoutSecrets filters extra program variables', () => {
    expect(withoutSecrets({ GREETING: 'hi', LEAKED_API_KEY: 'x', MY_SECRET: 'y' })).toEqual({ GREETING: 'hi' });
  });
});
