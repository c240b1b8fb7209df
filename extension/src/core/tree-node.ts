import type { BackendConfig } from './backend';
import type { RunningTasksError } from './errors';
import type { StageDetail, StageView, TaskView } from './task-view';

/**
 * Nodes of the tree. Their ids are stable across snapshots (backend, pipeline name, task
 * key, stage key), so VS Code keeps expansion and selection; the backend, pipeline and task
 * nodes are also the same objects from one snapshot to the next, which is what lets the
 * adapter refresh a single changed node.
 */
export type TreeNode = BackendNode | MessageNode | PipelineNode | TaskNode | StageNode | DetailNode;

export interface BackendNode {
  kind: 'backend';
  id: string;
  backendId: string;
}

/** Why a backend shows no list, or an old one. */
export type MessageKind =
  | 'connecting'
  | 'empty'
  | 'unreachable'
  | 'auth'
  | 'api'
  | 'http'
  | 'payload'
  | 'config'
  | 'stale'
  | 'internal';

export interface MessageNode {
  kind: 'message';
  id: string;
  backendId: string;
  message: MessageKind;
  error?: RunningTasksError;
  /** Epoch ms of the last good snapshot, for `stale` and `payload`. */
  lastUpdateAt: number;
}

export interface PipelineNode {
  kind: 'pipeline';
  id: string;
  backendId: string;
  name: string;
}

export interface TaskNode {
  kind: 'task';
  id: string;
  backendId: string;
  task: TaskView;
  /** The elapsed time as last shown; a tick refreshes the node only when this text changes. */
  elapsed: string;
  /** False when the elapsed time counts from the first sighting, not the backend's start. */
  elapsedFromBackend: boolean;
  stages: StageNode[] | undefined;
}

export interface StageNode {
  kind: 'stage';
  id: string;
  backendId: string;
  parent: TaskNode;
  task: TaskView;
  stage: StageView;
  details: DetailNode[];
}

export interface DetailNode {
  kind: 'detail';
  id: string;
  backendId: string;
  parent: StageNode;
  detail: StageDetail;
}

/** A backend as the settings gave it: usable, or refused with a reason. */
export type BackendEntry =
  | { config: BackendConfig; error?: undefined }
  | { id: string; label: string; error: RunningTasksError; config?: undefined };
