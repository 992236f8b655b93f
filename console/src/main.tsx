// The console's entry: TDesign's styles, the app into #root.
import { createRoot } from 'react-dom/client';
// TDesign renders its plugins (MessagePlugin) with React 19's createRoot only when told to.
import 'tdesign-react/es/_util/react-19-adapter';
import { App } from './App';
import 'tdesign-react/es/style/index.css';
import './app.css';

createRoot(document.getElementById('root')!).render(<App />);
