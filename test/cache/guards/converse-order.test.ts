import { describe, expect, it } from 'vitest';
import { sameStatedOrder } from '../../../src/cache/guards/converse-order.js';
import { tokenize } from '../../../src/cache/guards/tokenize.js';

const same = (a: string, b: string) => sameStatedOrder(tokenize(a), tokenize(b));

describe('sameStatedOrder', () => {
  it.each([
    ['Should I learn Python before Rust?', 'Should I learn Rust after Python?'],
    ['Should I learn Python before Rust?', 'Is it better to learn Python first and Rust after?'],
    ['Does the train stop in Malmo before Bologna?', 'Does the train stop in Bologna after Malmo?'],
    ['Ann served as mayor of Leeds before becoming governor of Kent.', 'Ann became governor of Kent after serving as mayor of Leeds.'],
    ['Ann served as mayor of Leeds before becoming governor of Kent.', 'After serving as mayor of Leeds, Ann became governor of Kent.'],
    ['Should I brush my teeth before breakfast?', 'Should I have breakfast after brushing my teeth?'],
  ])('reads one order in "%s" / "%s" (the converse)', (a, b) => {
    expect(same(a, b)).toBe(true);
  });

  it.each([
    // The word traded alone reverses the order.
    ['Should I learn Python before Rust?', 'Should I learn Python after Rust?'],
    ['Can I drink coffee before a blood test?', 'Can I drink coffee after a blood test?'],
    ['Ann served as mayor of Leeds before becoming governor of Kent.', 'Ann served as mayor of Leeds after becoming governor of Kent.'],
    ['Ann served as mayor of Leeds before becoming governor of Kent.', 'After becoming governor of Kent, Ann served as mayor of Leeds.'],
    // Other events: nothing to compare.
    ['What should I eat before bed?', 'What should I eat after dinner?'],
    // Two markers on one side: no single order to read.
    ['Should I eat before or after a workout?', 'Should I eat after a workout?'],
  ])('does not read one order in "%s" / "%s"', (a, b) => {
    expect(same(a, b)).toBe(false);
  });
});
