import { Button, Checkbox, Code, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Prompt } from '../../shared/contract';
import { api } from '../app/api';
import { useFleet } from '../store/fleet';

/** Shows the oldest open question from the backend: a host key to accept, or a secret to type. */
export function PromptDialog() {
  const prompt = useFleet((s) => s.prompts[0]);
  return prompt ? <PromptForm key={prompt.id} prompt={prompt} /> : null;
}

function PromptForm({ prompt }: { prompt: Prompt }) {
  const [answers, setAnswers] = useState<string[]>(() => prompt.fields.map(() => ''));
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string>();
  const hostLabel = useFleet((s) => s.hosts[prompt.hostId]?.config.label ?? '');
  useEffect(() => setError(undefined), [answers]);

  async function reply(values: string[] | null) {
    const outcome = await api.call('prompt.answer', { promptId: prompt.id, answers: values, remember });
    if (!outcome.ok) setError(outcome.error.message);
    // The backend closes the prompt with an event either way; drop it here too in case it already had.
    useFleet.getState().apply({ type: 'prompt.closed', promptId: prompt.id });
  }

  const isHostKey = prompt.kind === 'host-key';
  const fingerprint = /SHA256:[A-Za-z0-9+/]+/.exec(prompt.message)?.[0];
  return (
    <Modal opened onClose={() => void reply(null)} title={prompt.title} closeOnClickOutside={false}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void reply(answers);
        }}
      >
        <Stack gap="sm">
          {hostLabel && (
            <Text size="xs" c="dimmed">
              Connection {hostLabel}
            </Text>
          )}
          <Text size="sm">{prompt.message}</Text>
          {isHostKey && fingerprint && <Code block aria-label="Host key fingerprint">{fingerprint}</Code>}
          {prompt.fields.map((field, i) => {
            const Input = field.secret ? PasswordInput : TextInput;
            return (
              <Input
                key={i}
                label={field.label}
                value={answers[i]}
                data-autofocus={i === 0 || undefined}
                autoComplete="off"
                onChange={(e) => {
                  const next = [...answers];
                  next[i] = e.currentTarget.value;
                  setAnswers(next);
                }}
              />
            );
          })}
          {!prompt.canRemember && prompt.rememberRefusal && (
            <Text size="xs" c="dimmed" aria-label="Not remembered">
              {prompt.rememberRefusal}
            </Text>
          )}
          {prompt.canRemember && <Checkbox label="Remember in the system keychain" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />}
          {error && (
            <Text c="red" size="sm" role="alert">
              {error}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => void reply(null)}>
              {isHostKey ? 'Reject' : 'Cancel'}
            </Button>
            <Button type="submit" color={isHostKey ? 'orange' : undefined}>
              {isHostKey ? 'Accept and connect' : 'OK'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
