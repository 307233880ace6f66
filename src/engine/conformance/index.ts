/**
 * Node only: the corpora the conformance harness runs — PostgreSQL's own isolation specs with their
 * expected outputs, the project's scenarios, the lessons' specs.
 */
export * from './scenarioCorpus';
