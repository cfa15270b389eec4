import type { ReactNode } from 'react';

/** One term and its value in a <dl> of facts (plan, phase, dates): the pair screen readers read together. */
export function Fact({ term, children, className }: { term: ReactNode; children: ReactNode; className?: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}
