/** Command ids, shared by the tree rows (core) and their registrations (adapters). */
export const COMMANDS = {
  refresh: 'runningTasks.refresh',
  retryBackend: 'runningTasks.retryBackend',
  openInBrowser: 'runningTasks.openInBrowser',
  copyTaskId: 'runningTasks.copyTaskId',
  startLocalMock: 'runningTasks.startLocalMock',
  stopLocalMock: 'runningTasks.stopLocalMock',
  showLog: 'runningTasks.showLog',
  setToken: 'runningTasks.setToken',
  clearToken: 'runningTasks.clearToken',
  configureBackend: 'runningTasks.configureBackend',
} as const;

/** The view and container ids of package.json. */
export const VIEW_CONTAINER_ID = 'runningTasks';
export const VIEW_ID = 'runningTasks.running';
