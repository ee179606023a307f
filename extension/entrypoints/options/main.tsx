import { render } from 'preact';
import '../../ui/tokens.css';
import '../../ui/components.css';
import './settings.css';
import { SettingsPage } from './SettingsPage';

render(<SettingsPage />, document.getElementById('app')!);
