/** What the editors hold before a person types anything: a small bank, and two transfers to run. */
export const defaultTexts: Record<string, string> = {
  setup:
    "CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance int NOT NULL);\nINSERT INTO accounts VALUES (1, 'alice', 100), (2, 'bob', 100);",
  'session:A':
    'BEGIN;\nUPDATE accounts SET balance = balance - 10 WHERE id = 1;\nUPDATE accounts SET balance = balance + 10 WHERE id = 2;\nCOMMIT;',
  'session:B':
    'BEGIN;\nUPDATE accounts SET balance = balance - 20 WHERE id = 2;\nUPDATE accounts SET balance = balance + 20 WHERE id = 1;\nCOMMIT;',
};
