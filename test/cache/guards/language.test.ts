import { describe, expect, it } from 'vitest';
import { detectLanguage, languageGuard } from '../../../src/cache/guards/language.js';
import { tokenize } from '../../../src/cache/guards/tokenize.js';

const passes = (a: string, b: string) => languageGuard.check(a, b).pass;

describe('language guard', () => {
  it.each([
    ['What is the capital of France?', '¿Cuál es la capital de Francia?'],
    ['How do I reset my password?', 'Comment est-ce que je peux changer mon mot de passe ?'],
    ['What is the best way to learn German?', 'Was ist der beste Weg, um Deutsch zu lernen?'],
    ['What is the capital of France?', 'Какая столица Франции?'],
    ['What is the capital of France?', '法国的首都是什么？'],
    ['How do I say thank you?', 'ありがとうはどう言いますか？'],
  ])('rejects "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(false);
  });

  it.each([
    ['What is the capital of France?', 'Which city is the capital of France?'],
    ['What does "déjà vu" mean?', 'What is the meaning of déjà vu?'],
    ['Python?', 'Piton?'],
  ])('passes "%s" / "%s"', (a, b) => {
    expect(passes(a, b)).toBe(true);
  });

  it.each([
    ['Where is the nearest train station?', 'en'],
    ['¿Dónde está la estación de tren más cercana?', 'es'],
    ['Où est la gare la plus proche, et comment y aller ?', 'fr'],
    ['Wo ist der nächste Bahnhof und wie komme ich dahin?', 'de'],
    ['Onde fica a estação de trem mais próxima? Não sei como ir.', 'pt'],
    ['Dove è la stazione più vicina? Non so cosa fare.', 'it'],
    ['Где ближайший вокзал?', 'cyrillic'],
  ])('detects the language of "%s" as %s', (text, lang) => {
    expect(detectLanguage(tokenize(text))).toBe(lang);
  });

  it('leaves a too-short Latin text undetermined', () => {
    expect(detectLanguage(tokenize('Python?'))).toBeUndefined();
  });
});
