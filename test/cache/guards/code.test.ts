import { describe, expect, it } from 'vitest';
import { codeGuard } from '../../../src/cache/guards/code.js';

const passes = (a: string, b: string) => codeGuard.check(a, b).pass;

const fenced = (body: string, intro = 'Fix the bug in this function:') => `${intro}\n\`\`\`python\n${body}\n\`\`\``;

describe('code guard', () => {
  it.each([
    // One operator apart in a fenced block.
    [fenced('def add(a, b):\n    return a + b'), fenced('def add(a, b):\n    return a - b')],
    // Same Python, one line indented differently: another program.
    ['Why does this loop print once?\nfor x in items:\n    print(x)\n    break', 'Why does this loop print once?\nfor x in items:\n    print(x)\nbreak'],
    // Inline code spans differ.
    ['What does `ls -la` do?', 'What does `ls -l` do?'],
    ['What is the difference between `==` and `===`?', 'What is the difference between `=` and `==`?'],
    // Single-line code signs: calls and comparisons.
    ['Why is arr.sort() slow in JavaScript?', 'Why is arr.reverse() slow in JavaScript?'],
    ['Is x == null the same as x === null?', 'Is x != null the same as x !== null?'],
    // The same words, other symbols.
    ['Should I learn C++ first?', 'Should I learn C# first?'],
    ['What does x = a + b do in Python?', 'What does x = a - b do in Python?'],
    // Brackets and the order of operands.
    ['What is (2+3)*4?', 'What is 2+(3*4)?'],
    ['Why does print(x[1]) fail?', 'Why does print(x)[1] fail?'],
    ['Is x < y when both are negative?', 'Is y < x when both are negative?'],
    ['What is 10 - 3?', 'What is 3 - 10?'],
    // Numbers the tokeniser would fold, and spaces inside quotes.
    ['What is 3²?', 'What is 32?'],
    ['Is x₁ > x2?', 'Is x1 > x2?'],
    ["How many spaces are in 'a    b'?", "How many spaces are in 'a b'?"],
    ['Why does print("a\tb") print a tab?', 'Why does print("a b") print a tab?'],
    // A formula is code too.
    ['Solve [math]\\frac{1}{x} = 2[/math]', 'Solve [math]\\frac{1}{x} = 3[/math]'],
  ])('rejects %j / %j', (a, b) => {
    expect(passes(a, b)).toBe(false);
  });

  it.each([
    // The instruction around the code is reworded, the code is the same.
    [fenced('def add(a, b):\n    return a + b'), fenced('def add(a, b):\n    return a + b', 'Please find the bug in this:')],
    // Trailing spaces and blank lines are layout, not code.
    [fenced('def add(a, b):\n    return a + b  \n'), fenced('def add(a, b):\n\n    return a + b')],
    ['What does `ls -la` do?', 'What does the command `ls -la` do?'],
    // Prose with signs that are not code.
    ['What should I learn first, C++ or Java?', 'Which should I learn first: C++ or Java?'],
    ['What are the best video game(s) of all time?', 'What is the best video game of all time?'],
    ['My salary is in GBP; how can I note this in the app?', 'My salary is paid in GBP; how do I note that in the app?'],
    ['Let me know how many disposable cards I can have', 'Let me know how many disposable cards I may have'],
    ['How do I reverse a list in Python?', 'How can I reverse a list in python?'],
    // Arrows, markdown emphasis, dashes and list items are prose.
    ['Convert 5 km -> miles', 'Convert 5 km -> miles please'],
    ['What is **machine learning**?', 'What is machine learning?'],
    ['Is coffee healthy \u2014 or not?', 'Is coffee healthy, or not?'],
    ['Shopping list:\n  - milk\n  - eggs', 'Shopping list:\n  - Milk\n  - Eggs'],
    ['Hi!\nFrom London, how long is the flight to Paris?', 'Hi!\nFrom London how long is the flight to Paris?'],
    ['Which is bigger, 10 or 3?', 'Which is bigger, 3 or 10?'],
    ["I don't know  what it's for", "I don't know what it's for"],
    // The same words with other sentence punctuation, or a hyphen joining two words.
    ['How do I start, as a newbie?', 'How do I start as a newbie!'],
    ['Is a 15-year-old allowed to join?', 'Is a 15 year old allowed to join?'],
  ])('passes %j / %j', (a, b) => {
    expect(passes(a, b)).toBe(true);
  });

  it('names the line that differs', () => {
    expect(codeGuard.check(fenced('x = compute(a)'), fenced('x = compute(a, b)'))).toEqual({ pass: false, reason: 'code differs: "x = compute(a)"' });
  });
});
