import { render } from 'preact';
import { watchActivity } from '../../ui/activity';
import '../../ui/tokens.css';
import '../../ui/components.css';
import './popup.css';
import { Popup } from './Popup';

render(<Popup />, document.getElementById('app')!);
watchActivity();
