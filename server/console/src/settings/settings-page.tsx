import './settings.css';
import { Link, useSearchParams } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { useMay } from '../auth/session.js';
import { Empty } from '../ui/index.js';
import { ApiKeysSection } from './api-keys-section.js';
import { OperatorsSection } from './operators-section.js';

const SECTIONS = [
  { value: 'operators', label: 'Operators' },
  { value: 'api-keys', label: 'API keys' },
] as const;

/**
 * Settings, for owners: the people who operate Tollgate (`?section=operators`) and the programs'
 * API keys (`?section=api-keys`). Others are not shown the link, and the server refuses them anyway.
 */
export default function SettingsPage() {
  useDocumentTitle('Settings');
  const mayManage = useMay('MANAGE_ACCESS');
  const [params] = useSearchParams();
  const section = params.get('section') === 'api-keys' ? 'api-keys' : 'operators';
  if (!mayManage) {
    return <Empty title="Settings are for owners">Operators and API keys are managed by an owner of this Tollgate.</Empty>;
  }
  return (
    <div className="page">
      <h1>Settings</h1>
      <nav aria-label="Settings sections" className="segmented">
        {SECTIONS.map((entry) => (
          <Link key={entry.value} to={`?section=${entry.value}`} aria-current={section === entry.value ? 'page' : undefined} className="segmented__item">
            {entry.label}
          </Link>
        ))}
      </nav>
      {section === 'operators' ? <OperatorsSection /> : <ApiKeysSection />}
    </div>
  );
}
