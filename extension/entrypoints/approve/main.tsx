import { render } from 'preact';
import { watchActivity } from '../../ui/activity';
import '../../ui/tokens.css';
import '../../ui/components.css';
import { Approve } from './Approve';

render(<Approve approvalId={location.hash.slice(1)} />, document.getElementById('app')!);
watchActivity();
