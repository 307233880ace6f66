/**
 * Popular beliefs that the shown drivers and phase contradict (the reference's myths, from the
 * model's MYTHS), each with why it is wrong and the sources of the rules behind that.
 */
import { formatSource, RULES, type Myth } from '../../engine/clientTimeouts';

export function MythCallouts({ myths }: { myths: Myth[] }) {
  if (myths.length === 0) return null;
  return (
    <section className="ct-myths" aria-label="Popular beliefs that are wrong">
      {myths.map((myth) => {
        const sources = [...new Set(myth.ruleIds.flatMap((id) => RULES[id].sources.map(formatSource)))];
        return (
          <aside key={myth.id} className="ct-myth" data-myth={myth.id}>
            <p className="ct-myth-belief">
              <span className="ct-myth-label">Myth</span> “{myth.belief}”
            </p>
            <p className="ct-myth-truth">
              {!/^(false|half true)\b/i.test(myth.whyWrong) && <strong>Wrong. </strong>}
              {myth.whyWrong}
            </p>
            <p className="ct-myth-sources">
              {sources.map((source) => (
                <cite key={source} className="ct-source">
                  {source}
                </cite>
              ))}
            </p>
          </aside>
        );
      })}
    </section>
  );
}
