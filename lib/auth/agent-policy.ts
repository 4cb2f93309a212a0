/**
 * Who may use the server's own ssh-agent (SSH_AUTH_SOCK). The agent holds the keys of whoever
 * started the server, so handing it to any resource without a stored key would let every account
 * log in wherever those keys open, as that account. Never by default: only an administrator, or an
 * account an administrator allowed (User.sshAgentAllowed).
 */
export interface AgentUser {
  role: string;
  sshAgentAllowed: boolean;
}

export type AgentDecision = { ok: true; socket: string } | { ok: false; message: string };

export function agentDecision(user: AgentUser, socket: string | undefined, target: string): AgentDecision {
  if (!(user.role === "admin" || user.sshAgentAllowed)) {
    return {
      ok: false,
      message: `${target}: this resource has no stored private key, and the server's ssh-agent is only for accounts an administrator has allowed. Add a private key to the resource (Edit), or ask an administrator to allow the ssh-agent for your account.`,
    };
  }
  if (!socket) {
    return {
      ok: false,
      message: `${target}: this resource has no stored private key, and the server runs without an ssh-agent (SSH_AUTH_SOCK is unset). Add a private key to the resource.`,
    };
  }
  return { ok: true, socket };
}
