import { render } from 'preact';
import { watchActivity } from '../../ui/activity';
import '../../ui/tokens.css';
import '../../ui/components.css';
import './settings.css';
import { SettingsPage } from './SettingsPage';

render(<SettingsPage />, document.getElementById('app')!);
watchActivity();
