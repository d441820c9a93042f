"""Train a tiny randomly-initialized BERT for real with HF Trainer and VisdomCallback."""

import sys

import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

from visdom_client.integrations.transformers import VisdomCallback

torch.manual_seed(0)
config = BertConfig(
    vocab_size=64,
    hidden_size=16,
    num_hidden_layers=1,
    num_attention_heads=2,
    intermediate_size=32,
    max_position_embeddings=32,
    num_labels=2,
)
model = BertForSequenceClassification(config)


class Data(torch.utils.data.Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(n)
        self.ids = torch.randint(1, 64, (n, 12), generator=g)
        self.labels = (self.ids[:, 0] > 32).long()

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


args = TrainingArguments(
    output_dir=sys.argv[2],
    num_train_epochs=2,
    per_device_train_batch_size=8,
    learning_rate=1e-3,
    logging_steps=2,
    eval_strategy="epoch",
    save_strategy="no",
    report_to=[],
    use_cpu=True,
    disable_tqdm=True,
)
trainer = Trainer(
    model=model,
    args=args,
    train_dataset=Data(64),
    eval_dataset=Data(16),
    callbacks=[VisdomCallback(env=sys.argv[1])],
)
trainer.train()
print("STEPS", trainer.state.global_step)
