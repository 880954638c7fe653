/** The webPreferences every Ponder window gets (SECURITY.md #1). */
export interface SecureWebPreferences {
  preload: string;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  contextIsolation: true;
  sandbox: true;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  spellcheck: boolean;
}

export function secureWebPreferences(preload: string): SecureWebPreferences {
  return {
    preload,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    contextIsolation: true,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
  };
}

export interface WindowOptions {
  width: number;
  height: number;
  minWidth?: number;
  minHeight?: number;
  show: boolean;
  title: string;
  frame?: boolean;
  alwaysOnTop?: boolean;
  skipTaskbar?: boolean;
  resizable?: boolean;
  fullscreenable?: boolean;
  backgroundColor?: string;
  autoHideMenuBar?: boolean;
  webPreferences: SecureWebPreferences;
}

export function mainWindowOptions(preload: string, dark: boolean): WindowOptions {
  return {
    width: 1180,
    height: 800,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Ponder',
    autoHideMenuBar: true,
    backgroundColor: dark ? '#15171c' : '#ffffff',
    webPreferences: secureWebPreferences(preload),
  };
}

/** The small frameless always-on-top quick-ask popup. */
export function quickAskWindowOptions(preload: string, dark: boolean): WindowOptions {
  return {
    width: 680,
    height: 420,
    show: false,
    title: 'Ponder Quick Ask',
    frame: false,
    alwaysOnTop: true,
    skipTaskbar: true,
    resizable: true,
    fullscreenable: false,
    backgroundColor: dark ? '#15171c' : '#ffffff',
    webPreferences: secureWebPreferences(preload),
  };
}
