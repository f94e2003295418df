#!/usr/bin/env bash
# Copies the redistributable golden cases from ../shared into tests/Data (see tests/Data/README.md for sources and
# licences). Only models and inputs whose licences allow redistribution are listed here.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared="${K210KPU_SHARED:-$root/../shared}"
dst="$root/tests/Data"
cases=(
  "maixpy_face_yolo2_v3 astronaut"
  "sdk_face_detect_legacy_v1 astronaut"
  "nncase_iris_v3 fixed_iris_readme"
  "nncase_iris_v3 fixed_iris_setosa"
  "sdk_voc20_yolo2_v3 image"
  "sdk_face_mask_5anchor_v3 astronaut"
  "canmv_yolo_face_320x256_v3 astronaut"
  "maixpy_mbnet75_imagenet_v3 image"
  "nncase_iris_v4 fixed_iris_readme"
  "nncase_iris_v4 fixed_iris_setosa"
  "canmv_face_detect_320x240_v4 astronaut"
  "canmv_mobilenet025_features_v4 image"
)
mkdir -p "$dst/models"
for c in "${cases[@]}"; do
  set -- $c
  cp "$shared/models/$1.kmodel" "$dst/models/"
  src="$shared/golden/$1/$2"; out="$dst/golden/$1/$2"
  mkdir -p "$out"
  cp "$src/input.bin" "$src/meta.json" "$out/"
  cp "$src"/output_*.bin "$out/"
  if [ -d "$src/devlike" ]; then mkdir -p "$out/devlike"; cp "$src"/devlike/output_*.bin "$out/devlike/"; fi
done
du -sh "$dst"
